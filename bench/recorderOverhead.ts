import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/index.js';
import type { Benchmark, BenchContext, Figure } from './benchmark.js';
import type { ConsumeConfig, Consumed } from './children/consumeRun.js';
import { pairedRatios, summarize } from './stats.js';

const CHILD = fileURLToPath(new URL('./children/consumeRun.ts', import.meta.url));
const CPU_BOUND_EVENTS = 1_000_000;
/** A stream paced like a model's (a delta every millisecond or so: faster than most) needs far fewer events. */
const PACED_EVENTS = 2_000;
const PACED_DELAY_MS = 1;
const PAIRS = 5;

function runChild(config: ConsumeConfig): Consumed {
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { encoding: 'utf8' })) as Consumed;
}

/**
 * The SDK's own Runner and a RecordingRunner (into a fresh database on disk), same scripted model and
 * consumer, each in a process of its own, in pairs whose order alternates: ratios are taken per pair.
 */
async function measure(context: BenchContext, deltas: number, delayMs: number) {
  const plain: Consumed[] = [];
  const recorded: Consumed[] = [];
  for (let i = 0; i < PAIRS; i++) {
    context.log(`  pair ${i + 1}/${PAIRS}`);
    const db = join(context.tempDir(), 'overhead.db');
    const side = (runner: ConsumeConfig['runner']) => runChild({ runner, deltas, delayMs, db, warmUps: 3 });
    if (i % 2 === 0) {
      plain.push(side('sdk'));
      recorded.push(side('recording'));
    } else {
      recorded.push(side('recording'));
      plain.push(side('sdk'));
    }
    // Every event stored, the run completed: the recorder did its whole job.
    const store = await openStore(db, { readonly: true });
    const [run] = await store.listRuns({ name: '', limit: 1 });
    await store.close();
    if (run?.eventCount !== deltas + 4 || run.status !== 'completed') throw new Error(`recorded ${run?.eventCount} events, status ${run?.status}`);
  }
  return { plain, recorded };
}

function figure(what: string, recorded: number[], plain: number[], unit: string, target: Figure['target'], note: string): Figure {
  return {
    name: what,
    unit,
    value: summarize(recorded),
    baseline: { name: 'SDK Runner', value: summarize(plain) },
    ratio: summarize(pairedRatios(recorded, plain)),
    ...(target ? { target } : {}),
    note,
  };
}

/** The cost of recording for an application: its loop's time and its process's peak memory, against the SDK alone. */
export const recorderOverhead: Benchmark = {
  name: 'recorder overhead',
  async run(context) {
    const deltas = context.size(CPU_BOUND_EVENTS);
    const cpu = await measure(context, deltas, 0);
    const loop = (c: Consumed) => c.loopMs;
    const perEventUs = (c: Consumed[]) => summarize(c.map(loop)).median * 1000 / deltas;
    const extraUs = perEventUs(cpu.recorded) - perEventUs(cpu.plain);
    const paced = await measure(context, context.size(PACED_EVENTS), PACED_DELAY_MS);
    return [
      figure('recorder overhead, CPU-bound stream: until the loop ends', cpu.recorded.map(loop), cpu.plain.map(loop), 'ms', { atMost: 1.15 },
        `${deltas.toLocaleString('en')} text deltas back to back, ${PAIRS} pairs of processes; the recorder adds ${extraUs >= 0 ? '+' : ''}${extraUs.toFixed(2)} µs per event on the application's thread (goal ≤ 0.4; the SDK's own: ${perEventUs(cpu.plain).toFixed(2)} µs)`),
      figure('recorder overhead, CPU-bound stream: until completed', cpu.recorded.map((c) => c.completedMs), cpu.plain.map((c) => c.completedMs), 'ms', { atMost: 1.15 },
        'completed never waits on the database'),
      figure('recorder peak RSS, CPU-bound stream', cpu.recorded.map((c) => c.maxRssMb), cpu.plain.map((c) => c.maxRssMb), 'MB', { atMost: 1.2 },
        'the process\'s maxRSS, writer thread included'),
      figure(`recorder overhead, a delta every ${PACED_DELAY_MS} ms: until the loop ends`, paced.recorded.map(loop), paced.plain.map(loop), 'ms', { atMost: 1.02 },
        `${context.size(PACED_EVENTS).toLocaleString('en')} text deltas, ${PAIRS} pairs of processes`),
    ];
  },
};
