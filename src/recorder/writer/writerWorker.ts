/**
 * The writer thread: serializes, stamps the active agent and writes every recorded event of this process
 * into one database, off the application's thread. Busy databases are retried with backoff (another
 * process holds the lock for a batch, milliseconds; a stuck one can hold it for long); any other failure
 * ends the recording of the runs it hit, which the application's thread reports once per run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import { HEARTBEAT_INTERVAL_MS } from '../../store/runLiveness.js';
import { SqliteEngine } from '../../store/sqlite/sqliteEngine.js';
import type { EventColumnsToStore } from '../../events/storedEvent.js';
import type { EventLevel } from '../../events/levels.js';
import type { RunEnd } from '../../store/types.js';
import { loadRedactor } from '../../redaction/loadRedactor.js';
import { BatchPages } from './batchPages.js';
import { EventKind, eventJsonOf, expandEvent, inBatchText } from './compactEvent.js';
import { BATCH_DELAY_MS, DUE, EXITING, HANDLED, IDLE_ASK_MS, IN_SQLITE, UNSENT, type WriterBatch, type WriterInit, type WriterReport } from './protocol.js';
import { RunRedaction } from './runRedaction.js';
import { CompactEventsBuilder, type CompactEvents } from './compactEvents.js';
import type { TextSource } from '../../events/joinedText.js';

interface OpenRun {
  runId: string;
  activeAgent: string | null;
  /** Writing failed: nothing more of this run is written but its end and the partial mark. */
  failure: string | null;
  created: boolean;
  /** What of the run is stored, and the tail of its streamed text that waits for the next batch. */
  redaction: RunRedaction | null;
}

const init = workerData as WriterInit;
const shared = new Int32Array(init.handled);
const pages = new BatchPages(init.pages);

/** The process is exiting: no SQLite call may start (see protocol.ts). */
class Exiting extends Error {}

/** Every use of the database goes through here, so the application's thread can see when none is under way. */
function inSqlite<T>(call: () => T): T {
  if (Atomics.load(shared, EXITING)) throw new Exiting('the process is exiting');
  Atomics.store(shared, IN_SQLITE, 1);
  try {
    return call();
  } finally {
    Atomics.store(shared, IN_SQLITE, 0);
    Atomics.notify(shared, IN_SQLITE);
  }
}
const port = parentPort!;
/** Open while runs are being recorded: an idle writer holds no file open (it can be moved, unmounted, deleted). */
let openStore: SqliteEngine | null = null;
function store(): SqliteEngine {
  return (openStore ??= SqliteEngine.open(init.path, { busyTimeoutMs: 100 }));
}
const runs = new Map<number, OpenRun>();
const queue: WriterBatch[] = [];
let writing = false;

port.on('message', (batches: WriterBatch[]) => {
  queue.push(...batches);
  if (!writing) void drain();
});

/**
 * The application's thread keeps no timer of its own for what waits there (batchHandover.ts): this thread keeps
 * the time. Once the same thing has waited BATCH_DELAY_MS while this thread is idle, it raises the shared DUE
 * flag, which the application's thread reads with each event it records: a stream that goes on sends what
 * waits with its next event, and nothing wakes the application's thread. Only when the flag has gone unread for
 * IDLE_ASK_MS more (the application is idle: no event came) is it asked with a message, and again after each
 * IDLE_ASK_MS. A message wakes it, and a wake between a timer's start and its end makes that timer up to a
 * millisecond late (libuv rounds its poll timeout to whole milliseconds), so asking by message every 20 ms
 * slowed a stream paced by 1 ms timers by 4%.
 */
async function askForWhatWaits(): Promise<void> {
  for (;;) {
    await Atomics.waitAsync(shared, UNSENT, 0).value;
    // What waits is named by its generation: sent and replaced by something new, it starts a new wait.
    const waiting = Atomics.load(shared, UNSENT);
    while (waiting !== 0 && Atomics.load(shared, UNSENT) === waiting) {
      await Atomics.waitAsync(shared, UNSENT, waiting, Atomics.load(shared, DUE) === 0 ? BATCH_DELAY_MS : IDLE_ASK_MS).value;
      if (writing || Atomics.load(shared, UNSENT) !== waiting) continue;
      if (Atomics.load(shared, DUE) === 0) Atomics.store(shared, DUE, 1);
      else report({ type: 'due' });
    }
  }
}
void askForWhatWaits();

/**
 * Batches written in one transaction, at most: what arrived together (a hand-over sends up to eight). A commit
 * costs this thread more than the events of a batch do, and this thread's work competes with the
 * application's for the machine's cores.
 */
const BATCHES_PER_TRANSACTION = 16;

/** Batches written together: their events (in their pages), and the rest of their parts in the order they came. */
type BatchGroup = Pick<WriterBatch, 'creates' | 'captures' | 'gaps' | 'ends' | 'cancels' | 'releaseHeld'> & { batches: WriterBatch[] };

/**
 * The next batches to write together. A run resumed from a RunState is linked to the run interrupted there as it
 * is created, so its batch starts a transaction of its own, after the one that may hold that run's end.
 */
function nextGroup(): BatchGroup {
  let n = 1;
  while (n < Math.min(queue.length, BATCHES_PER_TRANSACTION) && !queue[n]!.creates.some((create) => create.resumesCallIds.length > 0)) n++;
  const batches = queue.splice(0, n);
  return {
    batches,
    creates: batches.flatMap((batch) => batch.creates),
    captures: batches.flatMap((batch) => batch.captures),
    gaps: batches.flatMap((batch) => batch.gaps),
    ends: batches.flatMap((batch) => batch.ends),
    cancels: batches.flatMap((batch) => batch.cancels),
    releaseHeld: batches.some((batch) => batch.releaseHeld),
  };
}

async function drain(): Promise<void> {
  writing = true;
  while (queue.length > 0) {
    const group = nextGroup();
    await openRuns(group);
    await writeWithRetries(group);
    Atomics.add(shared, HANDLED, group.batches.length);
    Atomics.notify(shared, HANDLED);
  }
  writing = false;
  if (runs.size === 0) {
    clearInterval(heartbeat);
    heartbeat = undefined;
    attempt(() => inSqlite(() => openStore?.close()));
    openStore = null;
  }
}

/**
 * While runs are open, their heartbeat (runLiveness.ts): from this thread, which a CPU-bound stream on the
 * application's thread cannot starve. A run whose heartbeat stops reads as incomplete, wherever it ran.
 */
let heartbeat: NodeJS.Timeout | undefined;
function beat(): void {
  const recording = [...runs.values()].filter((run) => run.created && !run.failure).map((run) => run.runId);
  try {
    inSqlite(() => store().heartbeat(recording));
  } catch {
    // Busy: the next beat will do. A store that fails is reported by the batches it fails.
  }
}


async function writeWithRetries(group: BatchGroup): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      writeGroup(group);
      return;
    } catch (error) {
      if (error instanceof Exiting) return;
      if (!isBusy(error)) return failRuns(group, error);
      // Another process holds the lock longer than the busy timeout: back off and try again, without end.
      await sleep(Math.min(10 * 2 ** attempt, 250));
    }
  }
}

function isBusy(error: unknown): boolean {
  return /locked|busy/i.test(errorMessage(error));
}

/**
 * The batches' new runs, each with its redaction (its module, if it names one, is loaded first): a run whose
 * redaction cannot be had is not recorded at all rather than recorded unredacted.
 */
async function openRuns(group: BatchGroup): Promise<void> {
  for (const { slot, run, redaction } of group.creates) {
    if (runs.has(slot)) continue;
    const open: OpenRun = { runId: run.id, activeAgent: run.startingAgent, failure: null, created: false, redaction: null };
    runs.set(slot, open);
    try {
      open.redaction = new RunRedaction(await loadRedactor(redaction));
    } catch (error) {
      open.failure = errorMessage(error);
      report({ type: 'failed', slot, runId: run.id, message: open.failure });
    }
  }
}

/**
 * One transaction for batches that came one after the other: they are stored whole or not at all. A run's
 * parts keep their order (its creation, its events, what was captured, its gaps, its end, a late cancel).
 */
function writeGroup(group: BatchGroup): void {
  const creates = group.creates.flatMap(({ slot, run, resumesCallIds }) => {
    const stored = redacting(slot, (redaction) => redaction.run(run));
    return stored ? [{ slot, run: stored, resumesCallIds }] : [];
  });
  const events = groupEvents(group);
  // A capture (what an agent saw: its instructions, the input as sent, a tool's arguments) is redacted whole.
  const captures = group.captures.flatMap(({ slot, kind, record }) => {
    const stored = redacting(slot, (redaction) => redaction.redactor.value(record));
    return stored === null ? [] : [{ slot, kind, record: stored }];
  });
  const ends = group.ends.flatMap(({ slot, end }) => {
    const stored = redacting(slot, (redaction) => redaction.end(end));
    return stored ? [{ slot, end: stored }] : [];
  });
  const created: number[] = [];
  inSqlite(() => store().writeTransaction(() => {
    for (const { slot, run, resumesCallIds } of creates) {
      store().createRun({ ...run, resumedFrom: run.resumedFrom ?? store().runInterruptedAt(resumesCallIds) });
      created.push(slot);
    }
    for (const [slot, rows] of events.rows) store().appendEventColumns(runs.get(slot)!.runId, rows);
    for (const { slot, kind, record } of captures) store().appendCapture(runs.get(slot)!.runId, kind, record);
    for (const gap of group.gaps) {
      const run = runs.get(gap.slot);
      if (run && !run.failure) store().addGap(run.runId, gap.fromSeq, gap.toSeq);
    }
    for (const { slot, end } of ends) store().finishRun(runs.get(slot)!.runId, end);
    for (const { runId, cancelledBy } of group.cancels) store().markCancelled(runId, cancelledBy);
  }));
  for (const slot of created) runs.get(slot)!.created = true;
  events.commit();
  if (runs.size > 0) heartbeat ??= setInterval(beat, HEARTBEAT_INTERVAL_MS);
  endRuns(group);
}

/**
 * What `redact` makes of a run's value for storing, or null when nothing of the run is stored (its writing
 * failed before, or redaction itself failed: a module that throws stops the run's recording, which the
 * application's thread reports, rather than letting the value through unredacted).
 */
function redacting<T>(slot: number, redact: (redaction: RunRedaction) => T): T | null {
  const run = runs.get(slot);
  if (!run || run.failure) return null;
  try {
    return redact(run.redaction!);
  } catch (error) {
    run.failure = `redaction failed: ${errorMessage(error)}`;
    report({ type: 'failed', slot, runId: run.runId, message: run.failure });
    return null;
  }
}

/**
 * The batches' events as rows, per run, redacted; the active agent follows the agent events in order. Rows
 * are computed before the transaction and the runs' state (active agent, text that waits) changes only once
 * it is stored, so batches retried after a busy database are computed again the same.
 */
function groupEvents(group: BatchGroup): { rows: Map<number, EventColumnsToStore>; commit: () => void } {
  const incoming = new Map<number, CompactEventsBuilder>();
  for (const batch of group.batches) {
    const { slots, seqs, tUs, kinds, textLengths } = pages.columns(batch.page);
    // A text delta's text (an event's JSON) is the next piece of the batch's joined text, whether or not its run is written.
    const source: TextSource = { text: batch.text };
    let textAt = 0;
    // A batch's events mostly come from one run: its builder is looked up when the slot changes, not per event.
    let slot = -1;
    let events: CompactEventsBuilder | null = null;
    for (let i = 0; i < batch.length; i++) {
      const kind = kinds[i]!;
      const textFrom = textAt;
      if (inBatchText(kind)) textAt += textLengths[i]!;
      if (slots[i] !== slot) {
        slot = slots[i]!;
        events = builderOf(incoming, slot);
      }
      if (!events) continue;
      if (kind === EventKind.TextDelta) events.pushDelta(seqs[i]!, tUs[i]!, source, textFrom, textAt);
      else events.push(seqs[i]!, tUs[i]!, kind, inBatchText(kind) ? eventJsonOf(batch.text.slice(textFrom, textAt)) : batch.values[i]);
    }
  }
  // A run's end, a gap in it, or the process's exit flush: nothing of it waits any longer.
  const final = new Set<number>([...group.ends.map((e) => e.slot), ...group.gaps.map((g) => g.slot)]);
  const { releaseHeld } = group;
  const written = new Set(incoming.keys());
  for (const [slot, run] of runs) if (run.redaction?.holding && (releaseHeld || final.has(slot))) written.add(slot);
  const rows = new Map<number, EventColumnsToStore>();
  const commits: (() => void)[] = [];
  for (const slot of written) {
    const run = runs.get(slot)!;
    const events = (incoming.get(slot) ?? new CompactEventsBuilder()).build();
    const taken = redacting(slot, (redaction) => redaction.take(events, releaseHeld || final.has(slot)));
    if (!taken) continue;
    const stored = storedColumns(taken.events, run.activeAgent);
    if (stored.columns.length > 0) rows.set(slot, stored.columns);
    commits.push(() => {
      run.activeAgent = stored.agent;
      run.redaction!.commit(taken.held);
    });
  }
  return { rows, commit: () => commits.forEach((commit) => commit()) };
}

/** The builder of a run's incoming events, made on first use; null when nothing of the run is written (its writing failed). */
function builderOf(incoming: Map<number, CompactEventsBuilder>, slot: number): CompactEventsBuilder | null {
  const run = runs.get(slot);
  if (!run || run.failure) return null;
  let events = incoming.get(slot);
  if (!events) incoming.set(slot, (events = new CompactEventsBuilder()));
  return events;
}

/** A run's events as the store takes them, and the agent active after them (`agent`: before them). */
function storedColumns(events: CompactEvents, agent: string | null): { columns: EventColumnsToStore; agent: string | null } {
  const { kinds, values } = events;
  const length = kinds.length;
  const levels = new Array<EventLevel>(length);
  const names = new Array<string>(length);
  const agents = new Array<string | null>(length);
  const payloads = new Array<string | null>(length);
  for (let i = 0; i < length; i++) {
    const kind = kinds[i]!;
    // Most of a streamed run: a plain text delta goes to the store as its text (storedEvent.ts).
    if (kind === EventKind.TextDelta) {
      levels[i] = 'raw';
      names[i] = 'output_text_delta';
      payloads[i] = null;
    } else {
      const event = expandEvent(kind, values[i]);
      if (event.newAgent !== undefined) agent = event.newAgent;
      levels[i] = event.level;
      names[i] = event.name;
      payloads[i] = event.payload;
    }
    agents[i] = agent;
  }
  return { columns: { length, seqs: events.seqs, tUs: events.tUs, levels, names, agents, payloads, text: events.text, textEnds: events.textEnds }, agent };
}

/** The batches could not be written (disk full, read-only, corrupt): every run they touched stops recording. */
function failRuns(group: BatchGroup, error: unknown): void {
  const message = errorMessage(error);
  const touched = new Set<number>([
    ...group.creates.map((c) => c.slot),
    ...group.batches.flatMap((batch) => [...pages.columns(batch.page).slots.subarray(0, batch.length)]),
    ...group.captures.map((c) => c.slot),
    ...group.ends.map((e) => e.slot),
  ]);
  for (const { slot, run } of group.creates) if (!runs.has(slot)) runs.set(slot, { runId: run.id, activeAgent: null, failure: null, created: false, redaction: null });
  for (const slot of touched) {
    const run = runs.get(slot);
    if (!run || run.failure) continue;
    run.failure = message;
    report({ type: 'failed', slot, runId: run.runId, message });
  }
  endRuns(group);
}

function endRuns(group: BatchGroup): void {
  for (const { slot, end } of group.ends) {
    const run = runs.get(slot);
    // A run whose writing failed still gets its end, alone, with the partial mark: the failure may have passed.
    if (run?.failure && run.created) {
      const stored = storedEndOfFailedRun(run, end);
      attempt(() => inSqlite(() => store().writeTransaction(() => (store().finishRun(run.runId, stored), store().markPartial(run.runId, run.failure!)))));
    }
    runs.delete(slot);
    report({ type: 'ended', slot });
  }
}

/** A failed run's end, redacted; when redaction is what failed, only how and when it ended. */
function storedEndOfFailedRun(run: OpenRun, end: RunEnd): RunEnd {
  try {
    return run.redaction!.end(end);
  } catch {
    return { ...end, finalOutput: null, error: null, usage: null, runState: null };
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
