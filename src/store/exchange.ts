import { RuntapeError } from '../errors.js';
import { isEventLevel } from '../events/levels.js';
import { terminalSafeJson } from '../events/sanitize.js';
import { toJsonText } from '../events/serialize.js';
import type { RunStore } from './runStore.js';
import { RUN_STATUSES, type AgentRecord, type RunRecord, type StoredEvent } from './types.js';

/**
 * The JSON-lines exchange format: one header line (the run and its agent graph), then one line per event
 * in seq order, each carrying the event's payload verbatim, so export → import round-trips exactly.
 */
export const EXPORT_FORMAT = 'runtape-run';
export const EXPORT_VERSION = 1;

interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  run: RunRecord;
  agents: AgentRecord[];
}

export async function* exportRunLines(store: RunStore, runId: string): AsyncGenerator<string> {
  const run = await store.getRun(runId);
  if (!run) throw new RuntapeError(`no run ${runId} in ${store.location}`);
  const header: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, run, agents: await store.agents(runId) };
  yield terminalSafeJson(toJsonText(header));
  for await (const e of store.iterateEvents(runId)) yield eventLine(e);
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
  let lineNo = 0;
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
    lineNo = Math.max(lineNo, 1);
    fail('empty file, expected a runtape export');
  }
  const { run, agents } = readHeader(first.value, fail);
  /** The events after the header; a bad one fails the import, which the store then rolls back whole. */
  async function* events(): AsyncGenerator<StoredEvent> {
    for await (const value of parsed) {
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
  await store.importRun(run, agents, events());
  return (await store.getRun(run.id))!;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readHeader(value: unknown, fail: (why: string) => never): { run: RunRecord; agents: AgentRecord[] } {
  if (!isObject(value) || value.format !== EXPORT_FORMAT) fail('not a runtape export (the first line must be its header)');
  const header = value as unknown as ExportHeader;
  if (typeof header.version !== 'number' || header.version > EXPORT_VERSION) {
    fail(`export format version ${String(header.version)} is newer than this runtape reads (${EXPORT_VERSION}); upgrade runtape`);
  }
  const run = header.run;
  if (!isObject(run) || typeof run.id !== 'string' || !/^[0-9a-f]{1,64}$/.test(run.id)) fail('header has no valid run id');
  if (!RUN_STATUSES.includes(run.status)) fail(`header has an unknown run status "${String(run.status)}"`);
  if (typeof run.startedAt !== 'number' || typeof run.eventCount !== 'number') fail('header run lacks startedAt or eventCount');
  if (!Array.isArray(header.agents) || !header.agents.every((a) => isObject(a) && typeof a.name === 'string')) {
    fail('header agents must be a list of agents with names');
  }
  return {
    run: {
      ...run,
      tags: run.tags ?? [],
      metadata: run.metadata ?? {},
      // A run exported while it was being recorded is not running here: nobody is recording it.
      ...(run.status === 'running' ? { status: 'incomplete' as const, host: null, pid: null } : {}),
    },
    agents: header.agents.map((a) => ({ ...a, tools: a.tools ?? [], handoffs: a.handoffs ?? [] })),
  };
}

function readEvent(value: unknown, expectedSeq: number, fail: (why: string) => never): StoredEvent {
  if (!isObject(value)) fail('an event line must be a JSON object');
  const v = value as Record<string, unknown>;
  if (v.seq !== expectedSeq) fail(`expected event seq ${expectedSeq}, found ${JSON.stringify(v.seq)}`);
  if (!Number.isSafeInteger(v.t_us) || (v.t_us as number) < 0) fail('event t_us must be a non-negative integer');
  if (typeof v.level !== 'string' || !isEventLevel(v.level)) fail(`unknown event level ${JSON.stringify(v.level)}`);
  if (typeof v.name !== 'string') fail('event name must be a string');
  if (v.agent !== null && typeof v.agent !== 'string') fail('event agent must be a string or null');
  if (!isObject(v.event)) fail('event payload ("event") must be a JSON object');
  return { seq: expectedSeq, tUs: v.t_us as number, level: v.level as StoredEvent['level'], name: v.name as string, agent: v.agent as string | null, payload: toJsonText(v.event) };
}
