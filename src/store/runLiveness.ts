import { hostname } from 'node:os';
import type { RunStatus } from './types.js';

/** This machine, as stored with each run a recorder here writes: with the pid, it tells a dead recorder from a live one. */
export const THIS_HOST = hostname();

/** A run still marked `running` whose recording process on this host is gone ended without a word: incomplete. */
export function effectiveStatus(run: { status: string; host: string | null; pid: number | null }): RunStatus {
  if (run.status !== 'running') return run.status as RunStatus;
  if (run.host !== THIS_HOST || run.pid === null) return 'running';
  return processIsAlive(run.pid) ? 'running' : 'incomplete';
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
