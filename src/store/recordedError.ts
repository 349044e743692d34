import type { RunRecord } from './types.js';

/** The error a recorded run ended with, rebuilt from what was stored (errors themselves serialize to `{}`). */
export function recordedError(run: RunRecord): Error {
  const error = new Error(run.error?.message ?? 'the recorded run failed');
  error.name = run.error?.name ?? 'Error';
  if (run.error?.stack) error.stack = run.error.stack;
  return error;
}
