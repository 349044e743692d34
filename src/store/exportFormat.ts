import { z } from 'zod';
import { EVENT_LEVELS } from '../events/levels.js';
import { handoffsSchema, metadataSchema, tagsSchema, toolsSchema } from './recordSchemas.js';
import type { ErrorRecord } from '../events/serialize.js';
import { RUN_STATUSES, type AgentRecord, type RunRecord, type StoredEvent } from './types.js';

/**
 * The JSON-lines exchange format, as schemas: one header line (the run and its agent graph), then one
 * line per event. Each version has its schema; a file is checked line by line against its version's, so
 * a bad file is refused with the line and the field before anything is stored.
 */
export const EXPORT_FORMAT = 'runtape-run';
export const EXPORT_VERSION = 1;

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
  const header = headerV1.safeParse(value);
  if (!header.success) return { ok: false, why: `header ${describeIssue(header.error, value)}` };
  return { ok: true, value: { run: header.data.run as RunRecord, agents: header.data.agents as AgentRecord[] } };
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
