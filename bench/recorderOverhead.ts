import { Runner } from '@openai/agents';
import { join } from 'node:path';
import { RecordingRunner, openStore, recordedRunId, recordingStored } from '../src/index.js';
import { streamingAgent } from '../test/support/scriptedTurns.js';
import type { Benchmark, BenchContext, Figure } from './benchmark.js';
import { pairedRatios, summarize } from './stats.js';

const EVENTS = 1_000_000;
/** A stream paced like a model's (a delta every millisecond or so: faster than most) needs far fewer events. */
const PACED_EVENTS = 2_000;
const PACED_DELAY_MS = 1;
const PAIRS = 5;

interface Consumed {
  /** Until the application's `for await` loop ended. */
  loopMs: number;
  /** Until `completed` resolved (for the recorder: the run's end is stored). */
  completedMs: number;
}

const WORDS = ['The', ' refund', ' for', ' the', ' duplicate', ' charge', ' has', ' been', ' issued', '.', '\n'];

/**
 * One streamed run through the real SDK runner, on a scripted model that streams `deltas` text deltas:
 * the application counts the events and awaits `completed`. Both sides must do the whole job, or the
 * comparison means nothing: every event is checked for.
 */
async function consume(runner: Runner, deltas: string[], deltaDelayMs: number): Promise<Consumed & { result: object }> {
  const start = performance.now();
  const agent = streamingAgent(deltas, deltaDelayMs ? { deltaDelayMs } : {});
  const result = await runner.run(agent, 'Go on.', { stream: true });
  let seen = 0;
  for await (const _event of result) seen++;
  const loopMs = performance.now() - start;
  await result.completed;
  await recordingStored(result);
  const completedMs = performance.now() - start;
  // response_started, the deltas, response_done, the message item.
  if (seen !== deltas.length + 3) throw new Error(`expected ${deltas.length + 3} events, the application saw ${seen}`);
  return { loopMs, completedMs, result };
}

async function measure(context: BenchContext, events: number, deltaDelayMs: number) {
  const deltas = Array.from({ length: events }, (_, i) => WORDS[i % WORDS.length]!);
  const plainRun = () => consume(new Runner({ tracingDisabled: true }), deltas, deltaDelayMs);
  const recordedRun = async () => {
    const store = await openStore(join(context.tempDir(), 'overhead.db'));
    try {
      const consumed = await consume(new RecordingRunner({ tracingDisabled: true }, { db: store }), deltas, deltaDelayMs);
      const run = (await store.getRun(recordedRunId(consumed.result)!))!;
      if (run.eventCount !== events + 4 || run.status !== 'completed') throw new Error(`recorded ${run.eventCount} events, status ${run.status}`);
      return consumed;
    } finally {
      await store.close();
    }
  };
  // Warm up the JIT on both paths, then alternate which side goes first.
  await plainRun();
  await recordedRun();
  const plain: Consumed[] = [];
  const recorded: Consumed[] = [];
  for (let i = 0; i < PAIRS; i++) {
    context.log(`  pair ${i + 1}/${PAIRS}`);
    if (i % 2 === 0) {
      plain.push(await plainRun());
      recorded.push(await recordedRun());
    } else {
      recorded.push(await recordedRun());
      plain.push(await plainRun());
    }
  }
  return { plain, recorded };
}

/**
 * The cost of recording for an application that consumes a stream as fast as the SDK produces it: the SDK's
 * own runner against a RecordingRunner (into a fresh database on disk), same scripted model and consumer.
 */
export const recorderOverhead: Benchmark = {
  name: 'recorder overhead',
  async run(context) {
    const figures: Figure[] = [];
    for (const [events, delayMs, what] of [
      [context.size(EVENTS), 0, 'as fast as the SDK streams'],
      [context.size(PACED_EVENTS), PACED_DELAY_MS, `a delta every ${PACED_DELAY_MS} ms`],
    ] as const) {
      const { plain, recorded } = await measure(context, events, delayMs);
      const figure = (until: string, pick: (c: Consumed) => number): Figure => {
        const [r, p] = [recorded.map(pick), plain.map(pick)];
        const perEventUs = ((summarize(r).median - summarize(p).median) * 1000) / events;
        return {
          name: `recorder overhead, ${what}: until ${until}`,
          unit: 'ms',
          value: summarize(r),
          baseline: { name: 'SDK Runner', value: summarize(p) },
          ratio: summarize(pairedRatios(r, p)),
          target: { atMost: 1.05 },
          note: `${events.toLocaleString('en')} text deltas through the real runner, ${PAIRS} pairs; ${perEventUs >= 0 ? '+' : ''}${perEventUs.toFixed(2)} µs per event`,
        };
      };
      figures.push(figure('the loop ends', (c) => c.loopMs), figure('completed', (c) => c.completedMs));
    }
    return figures;
  },
};
