/**
 * The writer thread: serializes, stamps the active agent and writes every recorded event of this process
 * into one database, off the application's thread. Busy databases are retried with backoff (another
 * process holds the lock for a batch, milliseconds; a stuck one can hold it for long); any other failure
 * ends the recording of the runs it hit, which the application's thread reports once per run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import { SqliteEngine } from '../../store/sqlite/sqliteEngine.js';
import type { StoredEvent } from '../../store/types.js';
import { EventKind, expandEvent } from './compactEvent.js';
import type { WriterBatch, WriterInit, WriterReport } from './protocol.js';

interface OpenRun {
  runId: string;
  activeAgent: string | null;
  /** Writing failed: nothing more of this run is written but its end and the partial mark. */
  failure: string | null;
  created: boolean;
}

const init = workerData as WriterInit;
const handled = new Int32Array(init.handled);
const port = parentPort!;
/** Open while runs are being recorded: an idle writer holds no file open (it can be moved, unmounted, deleted). */
let openStore: SqliteEngine | null = null;
function store(): SqliteEngine {
  return (openStore ??= SqliteEngine.open(init.path, { busyTimeoutMs: 100 }));
}
const runs = new Map<number, OpenRun>();
const queue: WriterBatch[] = [];
let writing = false;

port.on('message', (batch: WriterBatch) => {
  queue.push(batch);
  if (!writing) void drain();
});

async function drain(): Promise<void> {
  writing = true;
  while (queue.length > 0) {
    const batch = queue.shift()!;
    await writeWithRetries(batch);
    Atomics.add(handled, 0, 1);
    Atomics.notify(handled, 0);
  }
  writing = false;
  if (runs.size === 0) {
    openStore?.close();
    openStore = null;
  }
}

async function writeWithRetries(batch: WriterBatch): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      writeBatch(batch);
      return;
    } catch (error) {
      if (!isBusy(error)) return failRuns(batch, error);
      // Another process holds the lock longer than the busy timeout: back off and try again, without end.
      await sleep(Math.min(10 * 2 ** attempt, 250));
    }
  }
}

function isBusy(error: unknown): boolean {
  return /locked|busy/i.test(errorMessage(error));
}

/** One transaction for the whole batch: a batch is stored whole or not at all. */
function writeBatch(batch: WriterBatch): void {
  const created: number[] = [];
  store().writeTransaction(() => {
    for (const { slot, run, resumesCallIds } of batch.creates) {
      runs.set(slot, { runId: run.id, activeAgent: run.startingAgent, failure: null, created: false });
      store().createRun({ ...run, resumedFrom: run.resumedFrom ?? store().runInterruptedAt(resumesCallIds) });
      created.push(slot);
    }
    for (const [slot, events] of groupEvents(batch)) store().appendEvents(runs.get(slot)!.runId, events);
    for (const { slot, kind, record } of batch.captures) {
      const run = runs.get(slot);
      if (run && !run.failure) store().appendCapture(run.runId, kind, record);
    }
    for (const gap of batch.gaps) {
      const run = runs.get(gap.slot);
      if (run && !run.failure) store().addGap(run.runId, gap.fromSeq, gap.toSeq);
    }
    for (const { slot, end } of batch.ends) {
      const run = runs.get(slot);
      if (run && !run.failure) store().finishRun(run.runId, end);
    }
    for (const { runId, cancelledBy } of batch.cancels) store().markCancelled(runId, cancelledBy);
  });
  for (const slot of created) runs.get(slot)!.created = true;
  endRuns(batch);
}

/** The batch's events as rows, per run; the active agent follows the agent events in order. */
function groupEvents(batch: WriterBatch): Map<number, StoredEvent[]> {
  const byRun = new Map<number, StoredEvent[]>();
  let textAt = 0;
  for (let i = 0; i < batch.length; i++) {
    const slot = batch.slots[i]!;
    const kind = batch.kinds[i]!;
    // A text delta's text is the next slice of the batch's joined text, whether or not its run is written.
    let value = batch.values[i];
    if (kind === EventKind.TextDelta) value = batch.text.slice(textAt, (textAt += batch.textLengths[i]!));
    const run = runs.get(slot);
    if (!run || run.failure) continue;
    const event = expandEvent(kind, value);
    if (event.newAgent !== undefined) run.activeAgent = event.newAgent;
    let rows = byRun.get(slot);
    if (!rows) byRun.set(slot, (rows = []));
    rows.push({ seq: batch.seqs[i]!, tUs: Math.round(batch.tUs[i]!), level: event.level, name: event.name, agent: run.activeAgent, payload: event.payload });
  }
  return byRun;
}

/** The batch could not be written (disk full, read-only, corrupt): every run it touched stops recording. */
function failRuns(batch: WriterBatch, error: unknown): void {
  const message = errorMessage(error);
  const touched = new Set<number>([
    ...batch.creates.map((c) => c.slot),
    ...batch.slots.subarray(0, batch.length),
    ...batch.captures.map((c) => c.slot),
    ...batch.ends.map((e) => e.slot),
  ]);
  for (const { slot, run } of batch.creates) if (!runs.has(slot)) runs.set(slot, { runId: run.id, activeAgent: null, failure: null, created: false });
  for (const slot of touched) {
    const run = runs.get(slot);
    if (!run || run.failure) continue;
    run.failure = message;
    report({ type: 'failed', slot, runId: run.runId, message });
  }
  endRuns(batch);
}

function endRuns(batch: WriterBatch): void {
  for (const { slot, end } of batch.ends) {
    const run = runs.get(slot);
    // A run whose writing failed still gets its end, alone, with the partial mark: the failure may have passed.
    if (run?.failure && run.created) {
      attempt(() => store().writeTransaction(() => (store().finishRun(run.runId, end), store().markPartial(run.runId, run.failure!))));
    }
    runs.delete(slot);
    report({ type: 'ended', slot });
  }
}

function attempt(write: () => void): void {
  try {
    write();
  } catch {
    // The run's end could not be written either: it shows as incomplete, which is the truth.
  }
}

function report(message: WriterReport): void {
  port.postMessage(message);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
