import { z } from 'zod';
import { EVENT_LEVELS } from '../events/levels.js';
import { handoffsSchema, metadataSchema, tagsSchema, toolsSchema } from './recordSchemas.js';
import type { ErrorRecord } from '../events/serialize.js';
import { RUN_STATUSES, type AgentRecord, type RunRecord, type StoredEvent } from './types.js';
import type { CaptureKind } from '../capture/types.js';

/**
 * The JSON-lines exchange format, as schemas: one header line (the run and its agent graph), then one
 * line per event, then (version 2) one line per capture (a model call, a handoff's filter, ...: what each
 * agent saw), its items in place. Each version has its schema; a file is checked line by line against its
 * version's, so a bad file is refused with the line and the field before anything is stored. Version 1
 * files (no captures) still import.
 */
export const EXPORT_FORMAT = 'runtape-run';
export const EXPORT_VERSION = 2;

const json = z.unknown();
const nullableString = z.string().nullable().default(null);

const agentV1 = z.object({
  name: z.string(),
  instructions: nullableString,
  model: nullableString,
  handoffDescription: nullableString,
  tools: toolsSchema.default([]),
  handoffs: handoffsSchema.default([]),
});

/** An error record: HTTP status, provider code and request id when there were any, and its cause, recursively. */
const errorSchema: z.ZodType<ErrorRecord> = z.lazy(() =>
  z.object({
    name: z.string(),
    message: z.string(),
    stack: z.string().optional(),
    status: z.number().int().optional(),
    code: z.string().optional(),
    requestId: z.string().optional(),
    cause: errorSchema.optional(),
  }),
);

const runV1 = z.object({
  id: z.string().regex(/^[0-9a-f]{1,64}$/, 'expected a hex run id'),
  name: nullableString,
  status: z.enum(RUN_STATUSES),
  startedAt: z.number().finite(),
  durationUs: z.number().int().nonnegative().nullable().default(null),
  startingAgent: nullableString,
  lastAgent: nullableString,
  input: json,
  finalOutput: json,
  error: errorSchema.nullable().default(null),
  usage: json,
  sdkVersion: nullableString,
  tags: tagsSchema.default([]),
  metadata: metadataSchema.default({}),
  eventCount: z.number().int().nonnegative(),
  recording: z.enum(['complete', 'partial']).default('complete'),
  recordingError: nullableString,
  // Added within version 1: files written before them import with these defaults.
  gaps: z.array(z.object({ fromSeq: z.number().int().nonnegative(), toSeq: z.number().int().nonnegative() })).default([]),
  cancelledBy: z.enum(['signal', 'consumer']).nullable().default(null),
  runState: nullableString,
  resumedFrom: z.string().regex(/^[0-9a-f]{1,64}$/, 'expected a hex run id').nullable().default(null),
  host: nullableString,
  pid: z.number().int().nullable().default(null),
});

const headerV1 = z.object({ format: z.literal(EXPORT_FORMAT), version: z.literal(1), run: runV1, agents: z.array(agentV1) });

/** Version 2: whether the run's model calls were captured (a version 1 run's were not). */
const runV2 = runV1.omit({ host: true, pid: true }).extend({
  captured: z.boolean(),
  // Added within version 2 (a child run's link to its parent run's tool call): older files import without one.
  parentRunId: z.string().regex(/^[0-9a-f]{1,64}$/, 'expected a hex run id').nullable().default(null),
  parentCallId: nullableString,
  host: nullableString,
  pid: z.number().int().nullable().default(null),
});
const headerV2 = z.object({ format: z.literal(EXPORT_FORMAT), version: z.literal(2), run: runV2, agents: z.array(agentV1) });

const attemptV2 = z.object({ attempt: z.number().int().positive(), startUs: z.number().int(), endUs: z.number().int().nullable(), error: errorSchema.nullable() });
const jsonObject = z.record(z.string(), json);
const itemList = z.union([z.string(), z.array(json)]);

/** The records of each capture kind, as far as an import must trust them (the rest is shown, never computed on). */
const captureRecordsV2 = {
  modelCall: z.object({
    call: z.number().int().positive(),
    agent: z.string(),
    model: z.string().nullable(),
    instructions: z.string().nullable(),
    input: itemList,
    tools: z.array(z.object({ type: z.string(), name: z.string() }).loose()),
    handoffs: z.array(z.object({ toolName: z.string(), agent: z.string() }).loose()),
    settings: jsonObject,
    outputType: json,
    previousResponseId: z.string().nullable(),
    conversationId: z.string().nullable(),
    responseId: z.string().nullable(),
    usage: json,
    startUs: z.number().int(),
    endUs: z.number().int().nullable(),
    ttftUs: z.number().int().nullable(),
    firstSeq: z.number().int().nonnegative().nullable(),
    lastSeq: z.number().int().nonnegative().nullable(),
    attempts: z.array(attemptV2),
    error: errorSchema.nullable(),
  }),
  handoff: jsonObject,
  toolCall: jsonObject,
  guardrail: jsonObject,
  span: jsonObject,
} satisfies Record<CaptureKind, z.ZodType>;

const captureLineV2 = z.object({ capture: z.enum(Object.keys(captureRecordsV2) as [CaptureKind, ...CaptureKind[]]), record: jsonObject });

const eventV1 = z.object({
  seq: z.number().int().nonnegative(),
  t_us: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  level: z.enum(EVENT_LEVELS),
  name: z.string(),
  agent: z.string().nullable(),
  // Checked to be an object, not copied: the payload is stored exactly as it came.
  event: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected a JSON object'),
});

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  run: RunRecord;
  agents: AgentRecord[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; why: string };

/** The header line of a file: its format and version first (to say "newer" rather than "invalid"), then its schema. */
export function parseHeader(value: unknown): Parsed<{ run: RunRecord; agents: AgentRecord[] }> {
  const head = z.object({ format: z.literal(EXPORT_FORMAT), version: json }).safeParse(value);
  if (!head.success) return { ok: false, why: 'not a runtape export (the first line must be its header)' };
  const version = head.data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { ok: false, why: `export format version ${quote(version)} is not a version` };
  if (version > EXPORT_VERSION) return { ok: false, why: `export format version ${version} is newer than this runtape reads (${EXPORT_VERSION}); upgrade runtape` };
  if (version === 1) {
    const header = headerV1.safeParse(value);
    if (!header.success) return { ok: false, why: `header ${describeIssue(header.error, value)}` };
    const { host, pid, ...run } = header.data.run;
    return { ok: true, value: { run: { ...run, captured: false, parentRunId: null, parentCallId: null, host, pid } as RunRecord, agents: header.data.agents as AgentRecord[] } };
  }
  const header = headerV2.safeParse(value);
  if (!header.success) return { ok: false, why: `header ${describeIssue(header.error, value)}` };
  return { ok: true, value: { run: header.data.run as RunRecord, agents: header.data.agents as AgentRecord[] } };
}

/** Whether a line after the header is a capture rather than an event. */
export function isCaptureLine(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'capture' in value;
}

/** A capture line; the record is checked against its kind's schema, then kept exactly as it came. */
export function parseCaptureLine(value: unknown): Parsed<{ kind: CaptureKind; record: Record<string, unknown> }> {
  const line = captureLineV2.safeParse(value);
  if (!line.success) return { ok: false, why: `capture ${describeIssue(line.error, value)}` };
  const record = captureRecordsV2[line.data.capture].safeParse(line.data.record);
  if (!record.success) return { ok: false, why: `capture record.${describeIssue(record.error, line.data.record)}` };
  return { ok: true, value: { kind: line.data.capture, record: (value as { record: Record<string, unknown> }).record } };
}

/** An event line; `payload` is the event re-serialized by the caller (it knows how runtape writes JSON). */
export function parseEventLine(value: unknown): Parsed<Omit<StoredEvent, 'payload'> & { event: Record<string, unknown> }> {
  const line = eventV1.safeParse(value);
  if (!line.success) return { ok: false, why: `event ${describeIssue(line.error, value)}` };
  const { seq, t_us, level, name, agent, event } = line.data;
  return { ok: true, value: { seq, tUs: t_us, level, name, agent, event } };
}

/** The first issue as `field: what was wrong (found …)`, the value found quoted short. */
function describeIssue(error: z.ZodError, value: unknown): string {
  const issue = error.issues[0]!;
  const found = issue.path.reduce<unknown>((v, key) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined), value);
  const field = issue.path.length ? issue.path.join('.') : 'line';
  return `${field}: ${issue.message.replace(/^Invalid input: /, '')} (found ${quote(found)})`;
}

function quote(value: unknown): string {
  const text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
