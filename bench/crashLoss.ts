import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/index.js';
import type { Benchmark } from './benchmark.js';
import type { KilledRecordingConfig } from './children/killedRecording.js';
import { summarize } from './stats.js';

const CHILD = fileURLToPath(new URL('./children/killedRecording.ts', import.meta.url));
/** More than the child streams before it is killed: the run is always under way. */
const DELTAS = 5_000_000;
const KILLS = 5;
/** The stored events over which the run's pace is taken. */
const PACE_EVENTS = 20_000;
/** When, after the child's first report, it is killed: spread over the run. */
const KILL_AFTER_MS = [300, 700, 1100, 1500, 1900];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the run is in the database, with events. */
async function runStored(db: string): Promise<boolean> {
  try {
    const raw = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (raw.prepare(`SELECT count(*) AS n FROM runs WHERE event_count > 0`).get() as { n: number }).n > 0;
    } finally {
      raw.close();
    }
  } catch {
    return false; // not created yet
  }
}

/** Starts a recording process, kills it with SIGKILL some time into its run; returns what it had seen by then. */
async function killMidRun(config: KilledRecordingConfig, afterMs: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const started = new Promise<void>((resolve) =>
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      resolve();
    }),
  );
  await Promise.race([started, exited]);
  // From the moment the writer thread is storing the run (it starts with the runner, in 50–200 ms on a quiet machine).
  while (!(await runStored(config.db))) await sleep(20);
  await sleep(afterMs);
  child.kill('SIGKILL');
  await exited;
  const lines = output.trim().split('\n');
  if (lines.includes('finished') || lines.length === 0) throw new Error('the recording child was not killed mid-run');
  return Number(lines.at(-1));
}

/**
 * What a crash loses: the run's time between the last event the application had seen (it prints its count as
 * it goes) and the last one stored, at the run's own pace (its stored events' mean µs per event).
 */
async function loss(db: string, seenSeq: number): Promise<{ events: number; ms: number }> {
  const raw = new Database(db, { readonly: true });
  const integrity = raw.pragma('integrity_check', { simple: true });
  raw.close();
  if (integrity !== 'ok') throw new Error(`integrity_check after kill -9: ${String(integrity)}`);
  const store = await openStore(db, { readonly: true });
  try {
    const [run] = await store.listRuns({ limit: 1 });
    if (!run || run.status !== 'incomplete') throw new Error(`the killed run reads ${run?.status ?? 'missing'}, not incomplete`);
    // What is stored is a gap-free prefix from seq 0.
    const lastSeq = run.eventCount - 1;
    const [last] = await store.readEvents(run.id, { fromSeq: lastSeq, limit: 1 });
    if (!last || last.seq !== lastSeq || lastSeq < 2) throw new Error(`the killed run has ${run.eventCount} events stored, not a prefix`);
    // The run's pace just before the kill (its start, the model's first event, is slower).
    const fromSeq = Math.max(1, lastSeq - PACE_EVENTS);
    const [from] = await store.readEvents(run.id, { fromSeq, limit: 1 });
    const events = Math.max(0, seenSeq - lastSeq);
    return { events, ms: (events * ((last.tUs - from!.tUs) / (lastSeq - fromSeq))) / 1000 };
  } finally {
    await store.close();
  }
}

/** kill -9 during a CPU-bound recorded run: how much of the run the recording lost. */
export const crashLoss: Benchmark = {
  name: 'crash loss',
  async run(context) {
    const losses: number[] = [];
    const events: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      context.log(`  kill ${i + 1}/${KILLS}`);
      const db = join(context.tempDir(), 'killed.db');
      // The application's n-th event is the run's seq n (seq 0 is the recorder's starting agent).
      const seen = await killMidRun({ db, deltas: DELTAS }, KILL_AFTER_MS[i % KILL_AFTER_MS.length]!);
      const lost = await loss(db, seen);
      losses.push(lost.ms);
      events.push(lost.events);
    }
    return [
      {
        name: 'kill -9 during a CPU-bound run: events lost',
        unit: 'ms',
        value: summarize(losses),
        target: { value: { atMost: 100 } },
        note: `${KILLS} recording processes killed (SIGKILL) 0.3–1.9 s after the run's first events are stored, in a CPU-bound stream; the run's time between the last event the application had seen and the last one stored (at the pace of its last 20k stored events); each database passes integrity_check, the run reads incomplete, what is stored is a gap-free prefix; ${Math.round(summarize(events).median).toLocaleString('en')} events lost (median)`,
      },
    ];
  },
};
