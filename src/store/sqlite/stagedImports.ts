import type Database from 'better-sqlite3';
import { RuntapeError } from '../../errors.js';
import { THIS_HOST, writerIsAlive } from '../runLiveness.js';

/**
 * An import's bookkeeping in `pending_imports` (schema.ts). A run being imported is written in bounded
 * transactions, so recorders in other processes wait at most one batch for the database, never the whole
 * import; meanwhile its row here hides it from every reader (the `published_runs` view). Publishing is one
 * short transaction that deletes the row. The row names the importing process and its heartbeat: an import
 * whose process is gone is removed by the next one. Every step checks that this process still owns the row,
 * so an importer that stalled long enough to be taken for dead cannot publish a run another one removed.
 */

/** Blocks deleted per transaction while removing a staged run: removal must not hold the lock for long either. */
const BLOCKS_PER_DELETE = 64;

export function markStaged(db: Database.Database, pk: number): void {
  db.prepare(`INSERT INTO pending_imports (run_pk, host, pid, heartbeat_at) VALUES (?, ?, ?, ?)`).run(pk, THIS_HOST, process.pid, Date.now());
}

/** This process is still importing the run; fails (rolling back the caller's transaction) when it no longer owns it. */
export function touchStaged(db: Database.Database, pk: number): void {
  const owned = db
    .prepare(`UPDATE pending_imports SET heartbeat_at = ? WHERE run_pk = ? AND host = ? AND pid = ?`)
    .run(Date.now(), pk, THIS_HOST, process.pid).changes;
  if (owned === 0) throw new RuntapeError('the import stalled so long that another process removed it; nothing was imported');
}

/** Makes the staged run visible to readers: one short transaction. */
export function publishStaged(db: Database.Database, pk: number): void {
  db.transaction(() => {
    touchStaged(db, pk);
    db.prepare(`DELETE FROM pending_imports WHERE run_pk = ?`).run(pk);
  }).immediate();
}

/** Removes a staged run, a few blocks per transaction, as long as this process owns it. */
export function discardStaged(db: Database.Database, pk: number): void {
  const deleteSome = db.prepare(
    `DELETE FROM event_blocks WHERE run_pk = @pk AND first_seq IN (SELECT first_seq FROM event_blocks WHERE run_pk = @pk LIMIT ${BLOCKS_PER_DELETE})`,
  );
  for (;;) {
    const deleted = db.transaction(() => (touchStaged(db, pk), deleteSome.run({ pk }).changes)).immediate();
    if (deleted === 0) break;
  }
  // Its row, agents, interruptions and pending_imports entry (ON DELETE CASCADE).
  db.transaction(() => (touchStaged(db, pk), db.prepare(`DELETE FROM runs WHERE pk = ?`).run(pk))).immediate();
}

/** Removes the staged runs of imports whose process is gone (killed mid-import, or it could not clean up). */
export function sweepAbandoned(db: Database.Database): void {
  const pending = db.prepare(`SELECT run_pk AS pk, host, pid, heartbeat_at AS heartbeatAt FROM pending_imports`).all() as {
    pk: number;
    host: string;
    pid: number;
    heartbeatAt: number;
  }[];
  for (const staged of pending.filter((p) => !writerIsAlive(p))) {
    // Taken over in one transaction, if still abandoned: from then on its importer could not publish it.
    const claimed = db
      .transaction(() => {
        const still = db.prepare(`SELECT host, pid, heartbeat_at AS heartbeatAt FROM pending_imports WHERE run_pk = ?`).get(staged.pk) as
          | { host: string; pid: number; heartbeatAt: number }
          | undefined;
        if (!still || writerIsAlive(still)) return false;
        db.prepare(`UPDATE pending_imports SET host = ?, pid = ?, heartbeat_at = ? WHERE run_pk = ?`).run(THIS_HOST, process.pid, Date.now(), staged.pk);
        return true;
      })
      .immediate();
    if (claimed) discardStaged(db, staged.pk);
  }
}
