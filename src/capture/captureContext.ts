import { AsyncLocalStorage } from 'node:async_hooks';
import type { CaptureSink } from './types.js';

/**
 * The recorded run the current async context belongs to. Capture patches on shared objects (a `Model`, a
 * `Handoff`, a tool) ask it who is calling: outside a recorded run it answers nothing and the patch passes
 * straight through, and two runs sharing one object each get their own calls.
 */
const capturing = new AsyncLocalStorage<CaptureSink>();

/** The sink of the recorded run this code runs in, if any. */
export function currentCapture(): CaptureSink | undefined {
  return capturing.getStore();
}

/** Runs `start` (and everything it starts) as part of the run `sink` records. */
export function withCapture<T>(sink: CaptureSink, start: () => T): T {
  return capturing.run(sink, start);
}
