import { hostname } from 'node:os';
import type { RunStatus } from './types.js';

/** This machine, as stored with each run a recorder here writes: with the pid, it tells a dead recorder from a live one. */
export const THIS_HOST = hostname();

/**
 * How often a recorder's writer thread (or an import) says it is still at work. On the writer thread, not the
 * application's: a CPU-bound stream can starve the application's thread for as long as the run lasts.
 */
export const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * A heartbeat older than this means its writer is gone: killed, or in another container or PID namespace,
 * where its host and pid say nothing here. Generous, because a writer waiting out another process's lock
 * cannot beat either; a run misread meanwhile reads `running` again with the next beat (nothing is written).
 * RUNTAPE_HEARTBEAT_STALE_MS changes it (so a test need not wait long).
 */
export function heartbeatStaleMs(): number {
  const configured = Number(process.env.RUNTAPE_HEARTBEAT_STALE_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : 15_000;
}

/** Who is writing something (a run's recorder, an import): where, and its last heartbeat (epoch ms; null from a recorder older than heartbeats). */
export interface WriterTrace {
  host: string | null;
  pid: number | null;
  heartbeatAt: number | null;
}

/**
 * A run still marked `running` whose writer is gone ended without a word: incomplete. Derived by every
 * reader, never written, so a reader needs no write access and two readers never disagree on the row.
 */
export function effectiveStatus(run: { status: string } & WriterTrace, now = Date.now()): RunStatus {
  if (run.status !== 'running') return run.status as RunStatus;
  return writerIsAlive(run, now) ? 'running' : 'incomplete';
}

/**
 * Its heartbeat is recent, and, when it is on this host, its process still exists. A pid alone proves
 * nothing (reused, or another PID namespace's); a recorder without heartbeats on another host is taken
 * at its word.
 */
export function writerIsAlive(writer: WriterTrace, now = Date.now()): boolean {
  if (writer.host === THIS_HOST && writer.pid !== null && !processIsAlive(writer.pid)) return false;
  return writer.heartbeatAt === null || now - writer.heartbeatAt < heartbeatStaleMs();
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
