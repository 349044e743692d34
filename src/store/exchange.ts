import { RuntapeError } from '../errors.js';
import { terminalSafeJson } from '../events/sanitize.js';
import { toJsonText } from '../events/serialize.js';
import { CAPTURE_KINDS, type CaptureKind } from '../capture/types.js';
import { EXPORT_FORMAT, EXPORT_VERSION, isCaptureLine, parseCaptureLine, parseEventLine, parseHeader, type ExportHeader } from './exportFormat.js';
import type { RunCaptures, RunStore } from './runStore.js';
import { capturesIfReadable } from './unreadableCaptures.js';
import type { AgentRecord, RunRecord, StoredEvent } from './types.js';

/**
 * The JSON-lines exchange format: one header line (the run and its agent graph), then one line per event
 * in seq order, each carrying the event's payload verbatim, then one line per capture (kind by kind, each in
 * the order captured, items in place), so export → import round-trips exactly. The lines' schemas are in
 * exportFormat.ts. A run still being recorded is exported as it stood when the export began: the header's
 * event count and the lines agree, whatever its recorder adds meanwhile.
 */
export async function* exportRunLines(store: RunStore, runId: string): AsyncGenerator<string> {
  const snapshot = await store.runSnapshot(runId);
  if (!snapshot) throw new RuntapeError(`no run ${runId} in ${store.location}`);
  const { run, lastSeq } = snapshot;
  const header: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, run, agents: await store.agents(runId) };
  yield terminalSafeJson(toJsonText(header));
  for await (const e of store.iterateEvents(runId, { toSeq: lastSeq })) yield eventLine(e);
  // A run whose captures were damaged still exports its events (as `show` still shows them).
  const captures: RunCaptures = (await capturesIfReadable(() => store.capturesOfKinds(runId, CAPTURE_KINDS))) ?? {};
  for (const kind of CAPTURE_KINDS) {
    for (const record of captures[kind] ?? []) yield terminalSafeJson(toJsonText({ capture: kind, record }));
  }
}

/**
 * One event as an export line. The payload is JSON already: spliced in, not parsed and re-serialized.
 * Export lines may go to a terminal, so controls JSON leaves raw are escaped (the same JSON to a reader).
 */
export function eventLine(e: StoredEvent): string {
  return terminalSafeJson(`{"seq":${e.seq},"t_us":${e.tUs},"level":${JSON.stringify(e.level)},"name":${JSON.stringify(e.name)},"agent":${JSON.stringify(e.agent)},"event":${e.payload}}`);
}

/**
 * Imports one exported run, all or nothing: any malformed line rolls the whole import back and is
 * reported by its line number (counted from `firstLine`, for a run that is not the first in its file).
 * Returns the imported run.
 */
export async function importRunLines(store: RunStore, lines: AsyncIterable<string>, source: string, firstLine = 1): Promise<RunRecord> {
  let lineNo = firstLine - 1;
  let nextSeq = 0;
  let lastTUs = 0;
  const fail = (why: string): never => {
    throw new RuntapeError(`${source}:${lineNo}: ${why}; nothing was imported`);
  };
  /** Each line that is not blank, parsed; `lineNo` follows. */
  async function* values(): AsyncGenerator<unknown> {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        fail('not valid JSON (truncated or corrupted line)');
      }
      yield value;
    }
  }
  const parsed = values();
  const first = await parsed.next();
  if (first.done) {
    lineNo = Math.max(lineNo, firstLine);
    fail('empty file, expected a runtape export');
  }
  const { run, agents } = readHeader(first.value, fail);
  const captures: { [K in CaptureKind]?: unknown[] } = {};
  /** The events after the header (and the captures after them); a bad line fails the import, which the store then rolls back whole. */
  async function* events(): AsyncGenerator<StoredEvent> {
    for await (const value of parsed) {
      if (isCaptureLine(value)) {
        const { kind, record } = readCapture(value, fail);
        (captures[kind] ??= []).push(record);
        continue;
      }
      if (Object.keys(captures).length > 0) fail('an event after the captures (events come first)');
      const event = readEvent(value, nextSeq, fail);
      if (event.tUs < lastTUs) fail(`event t_us ${event.tUs} is earlier than the one before (${lastTUs}); offsets never go back`);
      lastTUs = event.tUs;
      yield event;
      nextSeq++;
    }
    if (nextSeq !== run.eventCount) {
      fail(`the header announces ${run.eventCount} events but the file holds ${nextSeq} (truncated?)`);
    }
  }
  await store.importRun(run, agents, events(), () => captures as RunCaptures);
  return (await store.getRun(run.id))!;
}

function readHeader(value: unknown, fail: (why: string) => never): { run: RunRecord; agents: AgentRecord[] } {
  const header = parseHeader(value);
  if (!header.ok) fail(header.why);
  const { run, agents } = header.value;
  // A run exported while it was being recorded is not running here: nobody is recording it.
  return { run: run.status === 'running' ? { ...run, status: 'incomplete', host: null, pid: null } : run, agents };
}

function readCapture(value: unknown, fail: (why: string) => never): { kind: CaptureKind; record: unknown } {
  const line = parseCaptureLine(value);
  if (!line.ok) fail(line.why);
  return line.value;
}

function readEvent(value: unknown, expectedSeq: number, fail: (why: string) => never): StoredEvent {
  const line = parseEventLine(value);
  if (!line.ok) fail(line.why);
  const { event, ...stored } = line.value;
  if (stored.seq !== expectedSeq) fail(`expected event seq ${expectedSeq}, found ${stored.seq}`);
  return { ...stored, payload: toJsonText(event) };
}
