import { RuntapeError } from '../errors.js';
import { terminalSafeJson } from '../events/sanitize.js';
import { toJsonText } from '../events/serialize.js';
import { EXPORT_FORMAT, EXPORT_VERSION, parseEventLine, parseHeader, type ExportHeader } from './exportFormat.js';
import type { RunStore } from './runStore.js';
import type { AgentRecord, RunRecord, StoredEvent } from './types.js';

/**
 * The JSON-lines exchange format: one header line (the run and its agent graph), then one line per event
 * in seq order, each carrying the event's payload verbatim, so export → import round-trips exactly.
 * The lines' schemas are in exportFormat.ts.
 */
export function* exportRunLines(store: RunStore, runId: string): Generator<string> {
  const run = store.getRun(runId);
  if (!run) throw new RuntapeError(`no run ${runId} in ${store.path}`);
  const header: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, run, agents: store.agents(runId) };
  yield terminalSafeJson(toJsonText(header));
  for (const e of store.iterateEvents(runId)) yield eventLine(e);
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
 * reported by its line number. Returns the imported run.
 */
export async function importRunLines(store: RunStore, lines: AsyncIterable<string>, source: string): Promise<RunRecord> {
  return store.transaction(async () => {
    let lineNo = 0;
    let run: RunRecord | undefined;
    let nextSeq = 0;
    let lastTUs = 0;
    let batch: StoredEvent[] = [];
    const fail = (why: string): never => {
      throw new RuntapeError(`${source}:${lineNo}: ${why}; nothing was imported`);
    };
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        fail('not valid JSON (truncated or corrupted line)');
      }
      if (!run) {
        const header = readHeader(value, fail);
        run = header.run;
        store.insertImportedRun(run, header.agents);
        continue;
      }
      const event = readEvent(value, nextSeq, fail);
      if (event.tUs < lastTUs) fail(`event t_us ${event.tUs} is earlier than the one before (${lastTUs}); offsets never go back`);
      lastTUs = event.tUs;
      batch.push(event);
      nextSeq++;
      if (batch.length >= 1000) {
        store.appendEvents(run.id, batch);
        batch = [];
      }
    }
    if (!run) {
      lineNo = Math.max(lineNo, 1);
      fail('empty file, expected a runtape export');
    }
    store.appendEvents(run!.id, batch);
    if (nextSeq !== run!.eventCount) {
      fail(`the header announces ${run!.eventCount} events but the file holds ${nextSeq} (truncated?)`);
    }
    return store.getRun(run!.id)!;
  });
}

function readHeader(value: unknown, fail: (why: string) => never): { run: RunRecord; agents: AgentRecord[] } {
  const header = parseHeader(value);
  if (!header.ok) fail(header.why);
  const { run, agents } = header.value;
  // A run exported while it was being recorded is not running here: nobody is recording it.
  return { run: run.status === 'running' ? { ...run, status: 'incomplete', host: null, pid: null } : run, agents };
}

function readEvent(value: unknown, expectedSeq: number, fail: (why: string) => never): StoredEvent {
  const line = parseEventLine(value);
  if (!line.ok) fail(line.why);
  const { event, ...stored } = line.value;
  if (stored.seq !== expectedSeq) fail(`expected event seq ${expectedSeq}, found ${stored.seq}`);
  return { ...stored, payload: toJsonText(event) };
}
