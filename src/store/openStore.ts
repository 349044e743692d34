import { resolve } from 'node:path';
import type { OpenOptions, RunStore } from './runStore.js';
import { SqliteRunStore } from './sqlite/sqliteRunStore.js';

export const DEFAULT_DB_PATH = 'recordings/runtape.db';

/** `--db` wins, then RUNTAPE_DB, then recordings/runtape.db below the current directory. */
export function resolveDbPath(explicit?: string): string {
  return resolve(explicit ?? process.env.RUNTAPE_DB ?? DEFAULT_DB_PATH);
}

/**
 * Opens a recordings store (default: RUNTAPE_DB, then recordings/runtape.db), choosing the backend from
 * where it is: the one place that knows which backends there are. Today every location is an SQLite file.
 */
export async function openStore(location?: string, options?: OpenOptions): Promise<RunStore> {
  return SqliteRunStore.open(resolveDbPath(location), options);
}
