import type { ErrorRecord } from '../events/serialize.js';

/**
 * What the capture layer records about a run beyond its stream events: what each agent saw. Times are
 * microseconds on the run's clock (the events' `tUs`); seqs are the events' own. Item payloads are the SDK's
 * JSON forms (`AgentInputItem`, `RunItem.toJSON()`); the store keeps each distinct item once per run and
 * hands these records back with the items in place.
 */

/** A function, hosted or computer tool as offered to the model. */
export interface ToolOffer {
  type: string;
  name: string;
  description?: string;
  /** The JSON schema of its arguments, as sent. */
  parameters?: unknown;
  strict?: boolean;
}

/** A handoff as offered to the model: a tool named e.g. `transfer_to_Orders`. */
export interface HandoffOffer {
  toolName: string;
  toolDescription: string;
  agent: string;
  inputJsonSchema?: unknown;
  strict?: boolean;
}

/** One try of a model call; a call retried by `modelSettings.retry` lists each. */
export interface CallAttempt {
  attempt: number;
  startUs: number;
  endUs: number | null;
  error: ErrorRecord | null;
}

/** One model call, as sent (`ModelRequest`) and as it went. Numbered from 1 per run. */
export interface ModelCallRecord {
  call: number;
  agent: string;
  model: string | null;
  /** The resolved system instructions, the exact string sent. */
  instructions: string | null;
  /** The input items as sent (or the input string). */
  input: unknown[] | string;
  tools: ToolOffer[];
  handoffs: HandoffOffer[];
  settings: Record<string, unknown>;
  outputType: unknown;
  previousResponseId: string | null;
  conversationId: string | null;
  responseId: string | null;
  usage: unknown;
  startUs: number;
  endUs: number | null;
  ttftUs: number | null;
  /** The events this call produced (its output is in them: `response_done`), when it produced any. */
  firstSeq: number | null;
  lastSeq: number | null;
  attempts: CallAttempt[];
  error: ErrorRecord | null;
}

/** `HandoffInputData`, snapshotted. */
export interface HandoffInputSnapshot {
  inputHistory: unknown[] | string;
  preHandoffItems: unknown[];
  newItems: unknown[];
}

/** One handoff and what its input filter did to the conversation the next agent sees. */
export interface HandoffCaptureRecord {
  /** The tool call that requested it, and the number of the model call that made it. */
  callId: string | null;
  call: number | null;
  from: string;
  to: string;
  tUs: number;
  /**
   * null when no filter applied: then `before` and `after` are the same, the conversation the next agent was
   * sent, whole (runtape before this version stored no record, or one with `after` null).
   */
  filter: { name: string | null; source: 'handoff' | 'runConfig' } | null;
  before: HandoffInputSnapshot;
  after: HandoffInputSnapshot | null;
}

export interface ToolCallCaptureRecord {
  callId: string | null;
  tool: string;
  agent: string;
  arguments: string;
  output: unknown;
  startUs: number;
  endUs: number | null;
  error: ErrorRecord | null;
}

export interface GuardrailCaptureRecord {
  name: string;
  kind: 'input' | 'output' | 'tool_input' | 'tool_output';
  agent: string;
  tripwire: boolean;
  result: unknown;
  startUs: number | null;
  endUs: number | null;
}

/** A tracing span of this run (when the application has tracing on), as its processor received it. */
export interface SpanCaptureRecord {
  spanId: string;
  parentId: string | null;
  traceId: string;
  type: string;
  startUs: number | null;
  endUs: number | null;
  data: unknown;
  error: unknown;
}

export interface CaptureRecords {
  modelCall: ModelCallRecord;
  handoff: HandoffCaptureRecord;
  toolCall: ToolCallCaptureRecord;
  guardrail: GuardrailCaptureRecord;
  span: SpanCaptureRecord;
}
export type CaptureKind = keyof CaptureRecords;
/** Every kind, in the order an export lists them. */
export const CAPTURE_KINDS: readonly CaptureKind[] = ['modelCall', 'handoff', 'toolCall', 'guardrail', 'span'];

/**
 * Where capture modules hand what they saw, on the application's thread: the run's recording. It stamps
 * nothing itself and never waits; records go through the recorder's batched write path.
 */
export interface CaptureSink {
  /** Microseconds since the run started, on the events' clock. */
  elapsedUs(): number;
  /** The seq the run's next event will get (so a call knows its first and last). */
  nextSeq(): number;
  capture<K extends CaptureKind>(kind: K, record: CaptureRecords[K]): void;
}
