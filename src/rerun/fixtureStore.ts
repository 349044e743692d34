import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/openStore.js';
import type { RunStore } from '../store/runStore.js';

let shared: Promise<RunStore> | undefined;

/**
 * Where fixtures' runs live while a test process runs: one database in a temporary folder, shared by every
 * fixture of the process (one writer thread, not one per test), removed when the process exits. The
 * application's project never gets a database; its fixtures are its JSONL files.
 */
export function fixtureStore(): Promise<RunStore> {
  shared ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runtape-fixtures-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return openStore(join(dir, 'runs.db'));
  })();
  return shared;
}
