import Database from 'better-sqlite3';
import type { RunStore } from '../../src/store/runStore.js';
import type { StoredEvent } from '../../src/store/types.js';

/** SQLite's own verdict on a database file: 'ok', or what it found wrong. */
export function integrityCheck(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** The seqs stored for a run, in order: a gap-free recording has exactly 0..n-1. */
export async function storedSeqs(store: RunStore, runId: string): Promise<number[]> {
  return (await allEvents(store, runId)).map((e) => e.seq);
}

/** Every event stored for a run, in order. */
export async function allEvents(store: RunStore, runId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.iterateEvents(runId)) events.push(event);
  return events;
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Rows per table, read through a connection of its own (what another process sees committed). */
export function rowCounts(db: string): Record<string, number> {
  const raw = new Database(db, { readonly: true });
  try {
    const tables = raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, raw.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
  } finally {
    raw.close();
  }
}
