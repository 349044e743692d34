import { AsyncLocalStorage } from 'node:async_hooks';
import type { CaptureSink } from './types.js';

/**
 * The recorded run the current async context belongs to. Capture patches on shared objects (a `Model`, a
 * `Handoff`, a tool) ask it who is calling: outside a recorded run it answers nothing and the patch passes
 * straight through, and two runs sharing one object each get their own calls.
 */
const capturing = new AsyncLocalStorage<CaptureSink>();

/**
 * Recorded runs under way. An enabled AsyncLocalStorage costs every promise of the process a hook, so this
 * one is enabled only while some recorded run goes on, and disabled again when the last one ends.
 */
const active = new WeakSet<CaptureSink>();
let activeRuns = 0;

/** The sink of the recorded run this code runs in, if any. */
export function currentCapture(): CaptureSink | undefined {
  return capturing.getStore();
}

/** Runs `start` (and everything it starts) as part of the run `sink` records, until `captureEnded(sink)`. */
export function withCapture<T>(sink: CaptureSink, start: () => T): T {
  if (!active.has(sink)) {
    active.add(sink);
    activeRuns++;
  }
  return capturing.run(sink, start);
}

/** The run `sink` records has ended: once no recorded run is left, the context costs nothing. */
export function captureEnded(sink: CaptureSink): void {
  if (!active.has(sink)) return;
  active.delete(sink);
  if (--activeRuns === 0) capturing.disable();
}
