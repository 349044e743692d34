import { errorMessage } from '../errors.js';
import { resolveDbPath } from '../store/openStore.js';
import type { RunStore } from '../store/runStore.js';
import { SqliteEngine } from '../store/sqlite/sqliteEngine.js';
import { sqliteEngineOf } from '../store/sqlite/sqliteRunStore.js';

/**
 * One connection per database per process, opened on first use and kept: a recorder opens no file per run.
 * A database that cannot be opened is reported once and yields null, so runs go on unrecorded.
 */
const stores = new Map<string, SqliteEngine | null>();

/**
 * How long a recording write waits for another process's lock. Writes happen on the application's thread,
 * so this bounds what a stuck database can cost a run (once: a failed write ends the recording of the run).
 * Other recorders hold the lock for a batch, milliseconds.
 */
const RECORDING_BUSY_TIMEOUT_MS = 1000;

export function storeForRecording(db: string | RunStore | undefined, warn: (message: string) => void): SqliteEngine | null {
  if (typeof db === 'object') return sqliteEngineOf(db);
  const path = resolveDbPath(db);
  if (!stores.has(path)) {
    try {
      stores.set(path, SqliteEngine.open(path, { busyTimeoutMs: RECORDING_BUSY_TIMEOUT_MS }));
    } catch (error) {
      warn(`runtape: not recording (${errorMessage(error)}); agent runs go on unrecorded`);
      stores.set(path, null);
    }
  }
  return stores.get(path)!;
}
