import { EVENT_LEVELS, type EventLevel } from '../events/levels.js';
import { parsePayload, textDeltaOf, textOfRawItem } from '../events/payload.js';
import type { StoredEvent } from '../store/types.js';

/** One change of agent: who handed off to whom, when, through which tool, and what the model said first. */
export interface HandoffStep {
  from: string;
  to: string;
  /** When the new agent became active (the agent_updated event). */
  tUs: number;
  seq: number;
  requestedSeq: number | null;
  occurredSeq: number | null;
  /** The id of the tool call that requested it (the handoff tool's call). */
  callId: string | null;
  toolName: string | null;
  /** Arguments the model passed to the handoff tool, when any. */
  arguments: string | null;
  /** The source agent's own words in the turn that ended in the handoff (reasoning summary or message). */
  reason: string | null;
}

export interface AgentTime {
  agent: string;
  activeUs: number;
}

export interface RunAnalysis {
  eventCount: number;
  countsByLevel: Record<EventLevel, number>;
  countsByName: Record<string, number>;
  /** Run start to the first output text delta. */
  ttftUs: number | null;
  /** Output text deltas (≈ tokens) per second, first delta to last. */
  tokensPerSecond: number | null;
  textDeltas: number;
  /** The longest silence between two consecutive events, and the event it came before. */
  largestGap: { beforeSeq: number; us: number } | null;
  agentPath: string[];
  perAgent: AgentTime[];
  handoffs: HandoffStep[];
  toolCalls: number;
  lastTUs: number;
}

/**
 * Reads a run's events once, in seq order, and keeps what the summary, the replay and the inspector show.
 * Incremental, so a live tail or a replay can feed it as events come.
 */
export class RunAnalyzer {
  #count = 0;
  readonly #byLevel: Record<EventLevel, number> = Object.fromEntries(EVENT_LEVELS.map((l) => [l, 0])) as Record<EventLevel, number>;
  readonly #byName: Record<string, number> = {};
  #firstDelta: number | null = null;
  #lastDelta: number | null = null;
  #deltas = 0;
  #previousT: number | null = null;
  #largestGap: RunAnalysis['largestGap'] = null;
  readonly #path: string[] = [];
  readonly #activeUs = new Map<string, number>();
  #activeSince = 0;
  readonly #handoffs: HandoffStep[] = [];
  #pending: Pick<HandoffStep, 'requestedSeq' | 'occurredSeq' | 'callId' | 'toolName' | 'arguments' | 'reason'> | null = null;
  #lastWords: string | null = null;
  #toolCalls = 0;
  #lastT = 0;

  add(event: StoredEvent): void {
    this.#count++;
    this.#byLevel[event.level]++;
    this.#byName[event.name] = (this.#byName[event.name] ?? 0) + 1;
    if (this.#previousT !== null) {
      const gap = event.tUs - this.#previousT;
      if (!this.#largestGap || gap > this.#largestGap.us) this.#largestGap = { beforeSeq: event.seq, us: gap };
    }
    this.#previousT = event.tUs;
    this.#lastT = Math.max(this.#lastT, event.tUs);

    if (event.level === 'raw') this.#addRaw(event);
    else if (event.level === 'item') this.#addItem(event);
    else this.#addAgent(event);
  }

  #addRaw(event: StoredEvent): void {
    if (event.name === 'response_started') this.#lastWords = null;
    if (textDeltaOf(event) === undefined) return;
    this.#deltas++;
    this.#firstDelta ??= event.tUs;
    this.#lastDelta = event.tUs;
  }

  #addItem(event: StoredEvent): void {
    const item = parsePayload(event).item;
    switch (event.name) {
      case 'reasoning_item_created':
      case 'message_output_created': {
        const words = textOfRawItem(item?.rawItem);
        if (words) this.#lastWords = this.#lastWords ? `${this.#lastWords}\n${words}` : words;
        break;
      }
      case 'tool_called':
        this.#toolCalls++;
        break;
      case 'handoff_requested': {
        const args = item?.rawItem?.arguments;
        this.#pending = {
          requestedSeq: event.seq,
          occurredSeq: null,
          callId: item?.rawItem?.callId ?? null,
          toolName: item?.rawItem?.name ?? null,
          arguments: args && args !== '{}' ? args : null,
          reason: this.#lastWords,
        };
        break;
      }
      case 'handoff_occurred':
        this.#pending = {
          ...(this.#pending ?? { requestedSeq: null, callId: item?.rawItem?.callId ?? null, toolName: item?.rawItem?.name ?? null, arguments: null, reason: this.#lastWords }),
          occurredSeq: event.seq,
        };
        break;
    }
  }

  #addAgent(event: StoredEvent): void {
    const to = event.agent ?? parsePayload(event).agent?.name ?? '?';
    const from = this.#path.at(-1);
    if (from !== undefined) {
      this.#activeUs.set(from, (this.#activeUs.get(from) ?? 0) + (event.tUs - this.#activeSince));
      this.#handoffs.push({
        from,
        to,
        tUs: event.tUs,
        seq: event.seq,
        requestedSeq: this.#pending?.requestedSeq ?? null,
        occurredSeq: this.#pending?.occurredSeq ?? null,
        callId: this.#pending?.callId ?? null,
        toolName: this.#pending?.toolName ?? null,
        arguments: this.#pending?.arguments ?? null,
        reason: this.#pending?.reason ?? null,
      });
    }
    this.#pending = null;
    this.#lastWords = null;
    this.#path.push(to);
    this.#activeSince = event.tUs;
  }

  /** What has been read so far; `endUs` (the run's duration, when known) closes the last agent's time. */
  result(endUs?: number): RunAnalysis {
    const end = Math.max(endUs ?? this.#lastT, this.#lastT);
    const perAgent = new Map(this.#activeUs);
    const current = this.#path.at(-1);
    if (current !== undefined) perAgent.set(current, (perAgent.get(current) ?? 0) + (end - this.#activeSince));
    const deltaSpanUs = this.#firstDelta !== null && this.#lastDelta !== null ? this.#lastDelta - this.#firstDelta : 0;
    return {
      eventCount: this.#count,
      countsByLevel: { ...this.#byLevel },
      countsByName: { ...this.#byName },
      ttftUs: this.#firstDelta,
      tokensPerSecond: this.#deltas > 1 && deltaSpanUs > 0 ? ((this.#deltas - 1) * 1e6) / deltaSpanUs : null,
      textDeltas: this.#deltas,
      largestGap: this.#largestGap,
      agentPath: [...this.#path],
      perAgent: [...perAgent].map(([agent, activeUs]) => ({ agent, activeUs })),
      handoffs: [...this.#handoffs],
      toolCalls: this.#toolCalls,
      lastTUs: this.#lastT,
    };
  }
}

/** A whole run's analysis, its events read as they come (a store reads them a window at a time). */
export async function analyzeEvents(events: AsyncIterable<StoredEvent>, endUs?: number): Promise<RunAnalysis> {
  const analyzer = new RunAnalyzer();
  for await (const event of events) analyzer.add(event);
  return analyzer.result(endUs);
}
