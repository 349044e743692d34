import { AsyncLocalStorage } from 'node:async_hooks';
import type { RerunSession } from './rerunSession.js';

/**
 * The re-run the current async context belongs to: a runner's models ask it which recording answers them,
 * so runs of one runner, in one process, each get their own calls.
 */
const reruns = new AsyncLocalStorage<RerunSession>();
/** An enabled AsyncLocalStorage costs every promise a hook: enabled only while some re-run goes on. */
let running = 0;

export function currentRerun(): RerunSession | undefined {
  return reruns.getStore();
}

/** Runs `start` (and all it starts) as part of `session`; `ended` settles when the run it starts is over. */
export async function withRerun<T>(session: RerunSession, start: () => Promise<T>, ended: (started: T) => Promise<unknown>): Promise<T> {
  running++;
  let started: T;
  try {
    started = await reruns.run(session, start);
  } catch (error) {
    release();
    throw error;
  }
  ended(started).then(release, release);
  return started;
}

function release(): void {
  if (--running === 0) reruns.disable();
}
