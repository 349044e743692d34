import { join } from 'node:path';
import { openStore, type RunStore } from '../src/index.js';
import { Playback } from '../src/replay/playback.js';
import { storeSyntheticRun, type SyntheticEvent } from '../test/support/syntheticRun.js';
import type { Benchmark, Figure } from './benchmark.js';
import { percentile, summarize } from './stats.js';

const TIMELINE_S = 30;
/** The bare-timer baseline replays the first part of the same timeline: it measures the platform's timers. */
const BASELINE_S = 10;

/** A seeded timeline shaped like token streaming: 5–60 ms between deltas, now and then a 0.3–1.5 s pause. */
function timeline(seconds: number): SyntheticEvent[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const events: SyntheticEvent[] = [];
  for (let t = 0; t < seconds * 1e6; ) {
    t += Math.round(random() < 0.02 ? 300_000 + random() * 1_200_000 : 5_000 + random() * 55_000);
    events.push({ tUs: t, level: 'raw', name: 'output_text_delta', agent: 'A' });
  }
  return events;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** How far each event lands from its ideal time (start + offset), early or late, ms. */
async function replayErrors(store: RunStore, runId: string): Promise<number[]> {
  const start = performance.now();
  const playback = new Playback(store, runId, { speed: 1 });
  const errors: number[] = [];
  for await (const event of playback) errors.push(Math.abs(performance.now() - (start + event.tUs / 1000)));
  return errors;
}

/** The same schedule kept by a bare loop of timers: the floor any replay on this machine stands on. */
async function bareTimerErrors(offsetsUs: number[]): Promise<number[]> {
  const start = performance.now();
  const errors: number[] = [];
  for (const tUs of offsetsUs) {
    await sleep(start + tUs / 1000 - performance.now());
    errors.push(Math.abs(performance.now() - (start + tUs / 1000)));
  }
  return errors;
}

/** Replay at 1x against the recorded timeline: how far each event lands from where it should. */
export const replayTiming: Benchmark = {
  name: 'replay timing',
  async run(context) {
    const seconds = context.size(TIMELINE_S);
    const store = await openStore(join(context.tempDir(), 'timing.db'));
    const events = timeline(seconds);
    const runId = await storeSyntheticRun(store, events);
    const replay = await replayErrors(store, runId);
    const baselineOffsets = [0, ...events.filter((e) => e.tUs <= context.size(BASELINE_S) * 1e6).map((e) => e.tUs)];
    const bare = await bareTimerErrors(baselineOffsets);
    await store.close();
    const point = (value: number) => summarize([value]);
    return (
      [
        ['p50', 0.5],
        ['p99', 0.99],
        ['max', 1],
      ] as const
    ).map(([label, fraction]): Figure => {
      const [r, b] = [percentile(replay, fraction), percentile(bare, fraction)];
      return {
        name: `replay timing error at 1x, ${label}`,
        unit: 'ms',
        value: point(r),
        baseline: { name: `bare setTimeout loop, ${label}`, value: point(b) },
        ratio: point(r / b),
        note: `${replay.length} events over a ${seconds} s recorded timeline (baseline: its first ${Math.min(seconds, BASELINE_S)} s); |arrival − (start + offset)|`,
      };
    });
  },
};
