import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { openStore } from '../src/index.js';
import { startFakeResponsesServer } from '../test/support/fakeResponsesServer.js';
import type { Benchmark, BenchContext, Figure } from './benchmark.js';
import type { ConsumeConfig, Consumed, ThreadTime } from './children/consumeRun.js';
import { CONSUME_CHILD, runConsumeChild, settleDisk } from './consumeChild.js';
import { deltaWords, WARM_UP_DELTAS } from './deltaWords.js';
import { pairedRatios, summarize } from './stats.js';

const CPU_BOUND_EVENTS = 1_000_000;
/** A stream paced like a model's (a delta every millisecond or so: faster than most) needs far fewer events. */
const PACED_EVENTS = 2_000;
const PACED_DELAY_MS = 1;
/** Through the real `openai` client each delta is two SDK events, and its SSE parsing costs more than the SDK. */
const OPENAI_EVENTS = 100_000;
const PAIRS = 5;
const WARM_UPS = 3;

/**
 * One side's process, streaming from a scripted model, or through the real `openai` client from a local fake
 * Responses API (in this process: it serves the child's warm-ups, then the measured run, as fast as it can).
 */
async function runSide(config: ConsumeConfig, openai: boolean): Promise<Consumed> {
  if (!openai) return runConsumeChild(config);
  settleDisk();
  const turns = [...Array<string[]>(config.warmUps).fill(WARM_UP_DELTAS), deltaWords(config.deltas)].map((deltas) => ({ kind: 'text' as const, deltas }));
  const server = await startFakeResponsesServer(turns);
  try {
    // Asynchronously, so that this process serves the child while it runs.
    return await new Promise<Consumed>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', CONSUME_CHILD, JSON.stringify({ ...config, openaiUrl: server.url })], { encoding: 'utf8', maxBuffer: 2 ** 20 }, (error, stdout) =>
        error ? reject(error) : resolve(JSON.parse(stdout) as Consumed),
      );
    });
  } finally {
    await server.close();
  }
}

/**
 * The SDK's own Runner and a RecordingRunner (into a fresh database on disk), same scripted model and
 * consumer, each in a process of its own, in pairs whose order alternates: ratios are taken per pair.
 */
/** How a side streams (default: a scripted model, in a process that has done nothing else). */
interface StreamShape {
  /** Through the real `openai` client from a local fake Responses API. */
  openai?: boolean;
  /** In an application-like process (ConsumeConfig.applicationLike). */
  applicationLike?: boolean;
}

async function measure(context: BenchContext, deltas: number, delayMs: number, { openai = false, applicationLike = false }: StreamShape = {}) {
  const plain: Consumed[] = [];
  const recorded: Consumed[] = [];
  for (let i = 0; i < PAIRS; i++) {
    context.log(`  pair ${i + 1}/${PAIRS}`);
    const db = join(context.tempDir(), 'overhead.db');
    const side = (runner: ConsumeConfig['runner']) => runSide({ runner, deltas, delayMs, db, warmUps: WARM_UPS, applicationLike }, openai);
    if (i % 2 === 0) {
      plain.push(await side('sdk'));
      recorded.push(await side('recording'));
    } else {
      recorded.push(await side('recording'));
      plain.push(await side('sdk'));
    }
    // Every event stored (the ones the application saw, and the starting agent), the run completed: the
    // recorder did its whole job.
    const store = await openStore(db, { readonly: true });
    const [run] = await store.listRuns({ name: '', limit: 1 });
    await store.close();
    const expected = recorded.at(-1)!.seen + 1;
    if (run?.eventCount !== expected || run.status !== 'completed') throw new Error(`recorded ${run?.eventCount} of ${expected} events, status ${run?.status}`);
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

/**
 * What recording adds to the application's thread itself, by that thread's CPU time per event (pair by pair),
 * apart from the time it waits for a core: on two cores the writer thread and the garbage collectors of both
 * isolates compete with it, which the loop's time includes. Null where the kernel reports no thread times.
 */
function applicationThreadCost({ recorded, plain }: { recorded: Consumed[]; plain: Consumed[] }): Figure | null {
  if ([...recorded, ...plain].some((c) => c.thread === null)) return null;
  const perEventUs = (c: Consumed, ms: number) => (ms * 1000) / c.seen;
  const extra = (of: (t: ThreadTime) => number) => recorded.map((r, i) => perEventUs(r, of(r.thread!)) - perEventUs(plain[i]!, of(plain[i]!.thread!)));
  const sdkCpuUs = summarize(plain.map((c) => perEventUs(c, c.thread!.cpuMs))).median;
  const waitUs = summarize(extra((t) => t.runQueueMs)).median;
  return {
    name: "recorder cost on the application's thread, CPU-bound stream: its CPU time until the loop ends",
    unit: 'µs/event',
    value: summarize(extra((t) => t.cpuMs)),
    target: { value: { atMost: 0.4 } },
    note: `the recorded side's thread CPU per event minus the SDK's (${sdkCpuUs.toFixed(2)} µs), pair by pair (Linux schedstat); besides, it waited ${waitUs >= 0 ? '+' : ''}${waitUs.toFixed(2)} µs per event more for a core (the writer thread and the garbage collectors compete for the two)`,
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
    const threadCost = applicationThreadCost(cpu);
    const applicationLike = await measure(context, deltas, 0, { applicationLike: true });
    const paced = await measure(context, context.size(PACED_EVENTS), PACED_DELAY_MS);
    const openaiDeltas = context.size(OPENAI_EVENTS);
    const openai = await measure(context, openaiDeltas, 0, { openai: true });
    const openaiExtraUs = (summarize(openai.recorded.map(loop)).median - summarize(openai.plain.map(loop)).median) * 1000 / openai.recorded[0]!.seen;
    return [
      figure('recorder overhead, CPU-bound stream: until the loop ends', cpu.recorded.map(loop), cpu.plain.map(loop), 'ms', { atMost: 1.15 },
        `${deltas.toLocaleString('en')} text deltas back to back, ${PAIRS} pairs of processes; the loop takes ${extraUs >= 0 ? '+' : ''}${extraUs.toFixed(2)} µs per event longer (the SDK's own: ${perEventUs(cpu.plain).toFixed(2)} µs); what of it is the application's thread's own CPU time, against its goal of 0.4 µs, is the next row`),
      ...(threadCost ? [threadCost] : []),
      figure('recorder overhead, CPU-bound stream: until completed', cpu.recorded.map((c) => c.completedMs), cpu.plain.map((c) => c.completedMs), 'ms', { atMost: 1.15 },
        'completed never waits on the database'),
      figure('recorder peak RSS, CPU-bound stream', cpu.recorded.map((c) => c.maxRssMb), cpu.plain.map((c) => c.maxRssMb), 'MB', { atMost: 1.2 },
        'the process\'s maxRSS, writer thread included, until the run is stored'),
      figure('recorder peak RSS, CPU-bound stream: until the loop ends', cpu.recorded.map((c) => c.loopMaxRssMb), cpu.plain.map((c) => c.loopMaxRssMb), 'MB', undefined,
        'the same, when the application\'s loop ended: before the writer stores the run\'s last batch (the whole response, its message item, the final output), which the figure above includes'),
      figure('recorder overhead, CPU-bound stream in an application-like process: until the loop ends', applicationLike.recorded.map(loop), applicationLike.plain.map(loop), 'ms', undefined,
        'the same stream, after both sides used a timer, a file stat, a random UUID and a message port, as an application has (reported beside the figure above, no goal of its own): Node\'s async hooks then see resources other than promises on both sides'),
      figure(`recorder overhead, a delta every ${PACED_DELAY_MS} ms: until the loop ends`, paced.recorded.map(loop), paced.plain.map(loop), 'ms', { atMost: 1.02 },
        `${context.size(PACED_EVENTS).toLocaleString('en')} text deltas, ${PAIRS} pairs of processes`),
      figure('recorder overhead through the real openai client, CPU-bound: until the loop ends', openai.recorded.map(loop), openai.plain.map(loop), 'ms', undefined,
        `${openaiDeltas.toLocaleString('en')} text deltas from a local fake Responses API (SSE, as fast as it can send) through the openai client and OpenAIResponsesModel, ${openai.recorded[0]!.seen.toLocaleString('en')} events (each delta has its raw model event too), ${PAIRS} pairs of processes; the recorder adds ${openaiExtraUs >= 0 ? '+' : ''}${openaiExtraUs.toFixed(2)} µs per event (reported beside the scripted figure, no goal of its own)`),
    ];
  },
};
