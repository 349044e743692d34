import { join } from 'node:path';
import type { Benchmark } from './benchmark.js';
import { runConsumeChild } from './consumeChild.js';
import { pairedRatios, summarize } from './stats.js';

const CPU_BOUND_EVENTS = 300_000;
const PAIRS = 5;

/**
 * What capturing the model calls adds to a recorded run: a RecordingRunner with capture against one with
 * `capture: false`, same CPU-bound stream, each in a process of its own, in pairs whose order alternates. The
 * capture context is on for the whole run, and each model event passes one extra `then`.
 */
export const captureOverhead: Benchmark = {
  name: 'capture overhead',
  async run(context) {
    const deltas = context.size(CPU_BOUND_EVENTS);
    const captured: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      context.log(`  pair ${i + 1}/${PAIRS}`);
      const side = (capture: boolean) => runConsumeChild({ runner: 'recording', capture, deltas, delayMs: 0, db: join(context.tempDir(), 'capture.db'), warmUps: 3 }).loopMs;
      if (i % 2 === 0) (captured.push(side(true)), plain.push(side(false)));
      else (plain.push(side(false)), captured.push(side(true)));
    }
    const extraUs = ((summarize(captured).median - summarize(plain).median) * 1000) / deltas;
    return [
      {
        name: 'capture overhead, CPU-bound stream: until the loop ends',
        unit: 'ms',
        value: summarize(captured),
        baseline: { name: 'recording without capture', value: summarize(plain) },
        ratio: summarize(pairedRatios(captured, plain)),
        target: { atMost: 1.05 },
        note: `${deltas.toLocaleString('en')} text deltas back to back, ${PAIRS} pairs of processes; capture adds ${extraUs >= 0 ? '+' : ''}${extraUs.toFixed(2)} µs per event`,
      },
    ];
  },
};
