import type { GuardrailCaptureRecord, HandoffCaptureRecord, ModelCallRecord } from '../capture/types.js';
import type { ChildRunLink } from './childRuns.js';
import { parsePayload } from '../events/payload.js';
import type { ErrorRecord } from '../events/serialize.js';
import type { SeqRange, StoredEvent } from '../store/types.js';

/**
 * The waterfall of a run: who was active when, and what ran inside (model calls, tool calls, guardrails,
 * handoffs), each a span of time. Derived from the stream events alone, so it works for any recording (tracing
 * off, nothing captured); what the capture layer recorded (a call's request, a handoff filter's before and
 * after) is attached to the row it belongs to when there is some.
 */

export type WaterfallKind = 'agent' | 'model' | 'tool' | 'guardrail' | 'handoff' | 'gap';

export interface WaterfallRow {
  kind: WaterfallKind;
  /**
   * The seq of the event that opened the row: rows are selected by it (the playhead's row is the last one
   * opened at or before it). Null for rows no event opened (lost events, a guardrail known only from captures).
   */
  seq: number | null;
  /** The seq of the event that closed it (null: still open when the recording ended). */
  endSeq: number | null;
  /** Nesting: agent spans (and gaps) at 0, what ran inside an agent's span at 1. */
  depth: 0 | 1;
  /** Agent name, `call 3`, tool name, guardrail name, `From → To`, `lost #4–#9`. */
  label: string;
  agent: string | null;
  startUs: number;
  /** Null: not closed by any event (the run ended or is still recorded): the bar reaches the run's end. */
  endUs: number | null;
  /** A model call: when its first output token arrived (null: none streamed). */
  firstTokenUs?: number | null;
  /** A model call's number, from 1 per run in the order calls started (as the capture numbers them). */
  call?: number;
  /** A tool call's or handoff's call id. */
  callId?: string | null;
  /** A tool call's arguments and output; a handoff's tool. */
  toolName?: string | null;
  arguments?: string | null;
  output?: string | null;
  /** A guardrail's tripwire went off; a call was cut short by the next one. */
  failed?: boolean;
  /** A tripwire known only from the error that ended the run: what that error said. */
  note?: string;
  modelCall?: ModelCallRecord;
  handoff?: HandoffCaptureRecord;
  guardrail?: GuardrailCaptureRecord;
  /** A tool call that ran an agent used as a tool: the child run it recorded. */
  childRun?: ChildRunLink;
}

/** What the capture layer recorded about a run, when it did: attached to the matching rows. */
export interface WaterfallCaptures {
  modelCalls?: readonly ModelCallRecord[];
  handoffs?: readonly HandoffCaptureRecord[];
  guardrails?: readonly GuardrailCaptureRecord[];
  /** The run's child runs (agents used as tools), each under the tool call that started it. */
  childRuns?: readonly ChildRunLink[];
}

/** How the run ended, when it has: a guardrail's tripwire shows in the stream only as the error that ends it. */
export interface WaterfallRunEnd {
  error: ErrorRecord | null;
  durationUs: number | null;
}

/** The SDK's tripwire errors, by the kind of guardrail that raised them. */
const TRIPWIRE_ERRORS: Record<string, GuardrailCaptureRecord['kind']> = {
  InputGuardrailTripwireTriggered: 'input',
  OutputGuardrailTripwireTriggered: 'output',
  ToolInputGuardrailTripwireTriggered: 'tool_input',
  ToolOutputGuardrailTripwireTriggered: 'tool_output',
};

/**
 * The event names the waterfall is built from. Reading a run with this name filter skips the blocks of
 * text deltas; the first delta of each call (its time to first token) is read separately (`firstTokenOf`).
 */
export const WATERFALL_EVENT_NAMES = [
  'starting_agent',
  'agent_updated',
  'response_started',
  'response_done',
  'tool_called',
  'tool_output',
  'handoff_requested',
  'handoff_occurred',
] as const;

/** The raw event that counts as a model call's first token. */
export const FIRST_TOKEN_NAMES = ['output_text_delta'] as const;

/** Tool outputs can be large: a row keeps this much of one (the event itself has all of it). */
const KEPT_CHARS = 4000;

/**
 * Builds the rows as events come, in seq order (a store reads them a window at a time). Events other than
 * the ones named above are used for times only (placing gaps) or ignored.
 */
export class WaterfallBuilder {
  readonly #rows: WaterfallRow[] = [];
  #agent: WaterfallRow | undefined;
  #call: WaterfallRow | undefined;
  #calls = 0;
  readonly #tools: WaterfallRow[] = [];
  readonly #handoffs: WaterfallRow[] = [];
  /** Each gap, with the times of the events stored around it once seen. */
  readonly #gaps: { range: SeqRange; startUs: number; endUs: number | null }[];
  #lastUs = 0;

  constructor(gaps: readonly SeqRange[] = []) {
    this.#gaps = gaps.map((range) => ({ range, startUs: 0, endUs: null }));
  }

  add(event: StoredEvent): void {
    this.#lastUs = Math.max(this.#lastUs, event.tUs);
    this.#placeGaps(event);
    switch (event.name) {
      case 'starting_agent':
      case 'agent_updated':
        if (event.level === 'agent') this.#agentChanged(event);
        return;
      case 'response_started':
        return this.#callStarted(event);
      case 'response_done':
        return this.#callDone(event);
      case 'output_text_delta':
        if (this.#call && this.#call.firstTokenUs === null) this.#call.firstTokenUs = event.tUs;
        return;
      case 'tool_called':
        return this.#toolCalled(event);
      case 'tool_output':
        return this.#toolOutput(event);
      case 'handoff_requested':
        return this.#handoffRequested(event);
      case 'handoff_occurred':
        return this.#handoffOccurred(event);
    }
  }

  /**
   * The rows so far, in time order (agent spans before what started with them), captures attached. Without
   * guardrail captures, a run a tripwire ended gets a row for that guardrail at its end.
   */
  rows(captures: WaterfallCaptures = {}, end?: WaterfallRunEnd): WaterfallRow[] {
    const modelCalls = captures.modelCalls ?? [];
    const handoffCaptures = [...(captures.handoffs ?? [])];
    const handoffRows = this.#rows.filter((r) => r.kind === 'handoff');
    const rows: WaterfallRow[] = this.#rows.map((row) => {
      if (row.kind === 'model') {
        const modelCall = modelCallFor(row, modelCalls);
        return modelCall ? { ...row, modelCall } : { ...row };
      }
      if (row.kind === 'handoff') {
        const handoff = handoffCaptureFor(row, handoffRows.indexOf(row), handoffCaptures);
        return handoff ? { ...row, handoff } : { ...row };
      }
      const childRun = row.kind === 'tool' && row.callId ? captures.childRuns?.find((child) => child.callId === row.callId) : undefined;
      if (childRun) return { ...row, childRun };
      return { ...row };
    });
    for (const { range, startUs, endUs } of this.#gaps) {
      const label = range.fromSeq === range.toSeq ? `lost #${range.fromSeq}` : `lost #${range.fromSeq}–#${range.toSeq}`;
      rows.push({ kind: 'gap', seq: null, endSeq: null, depth: 0, label, agent: null, startUs, endUs });
    }
    for (const guardrail of captures.guardrails ?? []) rows.push(guardrailRow(guardrail, this.#lastUs));
    const tripwire = end?.error ? TRIPWIRE_ERRORS[end.error.name] : undefined;
    if (tripwire && !captures.guardrails?.length) {
      const atUs = end!.durationUs ?? this.#lastUs;
      rows.push({ kind: 'guardrail', seq: null, endSeq: null, depth: 1, label: `tripwire (${tripwire.replace('_', ' ')})`, agent: null, startUs: atUs, endUs: atUs, failed: true, note: end!.error!.message });
    }
    // Stable: rows that start together keep the order their events came in.
    return rows.sort((a, b) => a.startUs - b.startUs || a.depth - b.depth);
  }

  #agentChanged(event: StoredEvent): void {
    const name = event.agent ?? parsePayload(event).agent?.name ?? '?';
    this.#close(this.#agent, event);
    this.#agent = this.#open(event, { kind: 'agent', depth: 0, label: name, agent: name });
  }

  #callStarted(event: StoredEvent): void {
    // A call the next one starts before it finished was cut short (an error the SDK retried past).
    if (this.#call) {
      this.#call.failed = true;
      this.#close(this.#call, event);
    }
    this.#call = this.#open(event, { kind: 'model', depth: 1, label: `call ${++this.#calls}`, agent: event.agent, call: this.#calls, firstTokenUs: null });
  }

  #callDone(event: StoredEvent): void {
    this.#close(this.#call, event);
    this.#call = undefined;
  }

  #toolCalled(event: StoredEvent): void {
    const raw = parsePayload(event).item?.rawItem;
    const name = raw?.name ?? '?';
    this.#tools.push(
      this.#open(event, { kind: 'tool', depth: 1, label: name, agent: event.agent, callId: raw?.callId ?? null, toolName: name, arguments: kept(raw?.arguments) }),
    );
  }

  #toolOutput(event: StoredEvent): void {
    const item = parsePayload(event).item;
    const callId = item?.rawItem?.callId;
    const name = item?.rawItem?.name;
    // By call id; an output without one answers the oldest open call of its tool.
    const at = this.#tools.findIndex((t) => (callId ? t.callId === callId : t.toolName === name));
    if (at === -1) return;
    const [tool] = this.#tools.splice(at, 1);
    tool!.output = kept(typeof item?.output === 'string' ? item.output : JSON.stringify(item?.output ?? item?.rawItem?.output ?? null));
    this.#close(tool, event);
  }

  #handoffRequested(event: StoredEvent): void {
    const raw = parsePayload(event).item?.rawItem;
    const from = event.agent ?? '?';
    this.#handoffs.push(
      this.#open(event, { kind: 'handoff', depth: 1, label: `${from} → ?`, agent: from, callId: raw?.callId ?? null, toolName: raw?.name ?? null, arguments: kept(raw?.arguments) }),
    );
  }

  #handoffOccurred(event: StoredEvent): void {
    const item = parsePayload(event).item;
    const callId = item?.rawItem?.callId;
    const at = callId ? this.#handoffs.findIndex((h) => h.callId === callId) : 0;
    // A handoff seen only as it occurred (a non-streamed run, say) is a row that starts and ends here.
    const [row] = at === -1 || this.#handoffs.length === 0 ? [] : this.#handoffs.splice(at, 1);
    const from = item?.sourceAgent?.name ?? row?.agent ?? event.agent ?? '?';
    const to = item?.targetAgent?.name ?? '?';
    const handoff = row ?? this.#open(event, { kind: 'handoff', depth: 1, label: '', agent: from, callId: callId ?? null, toolName: item?.rawItem?.name ?? null });
    handoff.label = `${from} → ${to}`;
    this.#close(handoff, event);
  }

  #open(event: StoredEvent, fields: Omit<WaterfallRow, 'seq' | 'endSeq' | 'startUs' | 'endUs'>): WaterfallRow {
    const row: WaterfallRow = { ...fields, seq: event.seq, endSeq: null, startUs: event.tUs, endUs: null };
    this.#rows.push(row);
    return row;
  }

  #close(row: WaterfallRow | undefined, event: StoredEvent): void {
    if (!row) return;
    row.endSeq = event.seq;
    row.endUs = event.tUs;
  }

  /** A gap runs from the last event stored before it to the first stored after it. */
  #placeGaps(event: StoredEvent): void {
    for (const gap of this.#gaps) {
      if (event.seq < gap.range.fromSeq) gap.startUs = event.tUs;
      else if (event.seq > gap.range.toSeq && gap.endUs === null) gap.endUs = event.tUs;
    }
  }
}

/** The rows of a whole run's events (and whatever was captured about it). */
export function waterfallRows(events: Iterable<StoredEvent>, options: { gaps?: readonly SeqRange[]; captures?: WaterfallCaptures; end?: WaterfallRunEnd } = {}): WaterfallRow[] {
  const builder = new WaterfallBuilder(options.gaps);
  for (const event of events) builder.add(event);
  return builder.rows(options.captures, options.end);
}

/** The row the playhead is on: the last one opened at or before `position` (null: before the first). */
export function rowAt(rows: readonly WaterfallRow[], position: number): number | null {
  let found: number | null = null;
  for (const [i, row] of rows.entries()) if (row.seq !== null && row.seq <= position && (found === null || row.seq >= rows[found]!.seq!)) found = i;
  return found;
}

/** The row an event opened that comes next after (1) or before (-1) the playhead's row. */
export function neighbourRow(rows: readonly WaterfallRow[], position: number, direction: 1 | -1): WaterfallRow | undefined {
  const current = rowAt(rows, position);
  const from = current === null ? -1 : rows[current]!.seq!;
  let found: WaterfallRow | undefined;
  for (const row of rows) {
    if (row.seq === null || (direction === 1 ? row.seq <= from : row.seq >= from)) continue;
    // The nearest: the smallest seq after, or the largest before.
    if (!found || (direction === 1 ? row.seq < found.seq! : row.seq > found.seq!)) found = row;
  }
  return found;
}

/**
 * A model call's capture: the one whose events include the call's start (a retried call is one capture over
 * several starts), or, for a capture that knows no events (the call failed before any), the one of its number.
 */
function modelCallFor(row: WaterfallRow, captures: readonly ModelCallRecord[]): ModelCallRecord | undefined {
  const bySeq = captures.find((c) => c.firstSeq !== null && c.lastSeq !== null && c.firstSeq <= row.seq! && row.seq! <= c.lastSeq);
  return bySeq ?? captures.find((c) => c.firstSeq === null && c.call === row.call);
}

/** A handoff's capture: the one for its tool call, or (for captures without ids) the one in the same place. */
function handoffCaptureFor(row: WaterfallRow, index: number, captures: readonly HandoffCaptureRecord[]): HandoffCaptureRecord | undefined {
  if (row.callId) {
    const byId = captures.find((c) => c.callId === row.callId);
    if (byId) return byId;
  }
  const candidate = captures[index];
  return candidate && candidate.callId === null ? candidate : undefined;
}

function guardrailRow(guardrail: GuardrailCaptureRecord, lastUs: number): WaterfallRow {
  const startUs = guardrail.startUs ?? guardrail.endUs ?? lastUs;
  return {
    kind: 'guardrail',
    seq: null,
    endSeq: null,
    depth: 1,
    label: `${guardrail.name} (${guardrail.kind.replace('_', ' ')})`,
    agent: guardrail.agent,
    startUs,
    endUs: guardrail.endUs ?? startUs,
    failed: guardrail.tripwire,
    guardrail,
  };
}

function kept(text: string | undefined | null): string | null {
  if (text === undefined || text === null) return null;
  return text.length <= KEPT_CHARS ? text : `${text.slice(0, KEPT_CHARS)}…`;
}
