import type { Model } from '@openai/agents';
import { RuntapeError } from '../errors.js';
import { checkFaults, type Fault } from '../faults/fault.js';
import type { Redactor } from '../redaction/redactor.js';
import type { Difference } from './difference.js';
import { DivergenceError } from './divergenceError.js';
import { compareRequests, type MatchOptions } from './matching.js';
import type { RecordedCall, RecordedRun } from './recordedRun.js';
import { requestRecorded, type ComparableRequest } from './request.js';
import type { Pace } from './servedResponse.js';

/** How a re-run is served and matched against its recording. */
export interface RerunMatchOptions extends MatchOptions {
  /**
   * `strict` (default): every request must equal the recorded one; the first difference ends the run with a
   * DivergenceError. `sequence`: calls are served in order and differences collected (`divergences`); only
   * another agent, or more calls than were recorded, ends the run.
   */
  match?: 'strict' | 'sequence';
  /** When the run needs more calls than were recorded: fail (default), or ask the application's own model. */
  onMissing?: 'error' | 'live';
  pace?: Pace;
  /** A fork: only calls 1..until come from the recording; the rest go to `then`, or the application's own model. */
  until?: number;
  then?: Model;
  /** Failures injected into the recorded calls as they are served (a server error, a cut stream, a stall). */
  faults?: Fault[];
  /**
   * `live` (default): the application's tools run. `recorded`: each function tool call is answered with the
   * output the recording holds for it (the run's `tool_output` item), and the tool's own code does not run.
   */
  tools?: 'live' | 'recorded';
}

/**
 * One re-run in progress: which recorded call comes next, who is calling, and the differences found so far.
 * Calls are numbered from 1, like the recording's.
 */
export class RerunSession {
  readonly divergences: Difference[] = [];
  #served = 0;
  #agent: string | null = null;
  readonly #faults: Fault[];
  #toolOutputs: Map<string, unknown> | undefined;

  constructor(
    readonly source: RecordedRun,
    readonly options: RerunMatchOptions,
    /** The rules the recording was redacted with: a request is compared as the recording would hold it. */
    readonly redactor: Redactor,
  ) {
    const sizes = new Map(source.calls.map((call) => [call.call, call.events.length]));
    this.#faults = checkFaults(options.faults ?? [], sizes, source.run.id);
  }

  /** The faults aimed at recorded call `call`. */
  faultsAt(call: number): Fault[] {
    return this.#faults.filter((fault) => fault.call === call);
  }

  /** The output the recording holds for a tool call (its `tool_output` item's), by the call's id. */
  recordedToolOutput(callId: string): { found: boolean; output?: unknown } {
    this.#toolOutputs ??= new Map(
      [...this.source.looseItems, ...this.source.calls.flatMap((call) => call.items)]
        .filter((item) => item.name === 'tool_output' && typeof item.item.rawItem?.callId === 'string')
        .map((item) => [item.item.rawItem!.callId as string, item.item.output]),
    );
    return this.#toolOutputs.has(callId) ? { found: true, output: this.#toolOutputs.get(callId) } : { found: false };
  }

  get pace(): Pace {
    return this.options.pace ?? 'instant';
  }

  /** The agent whose turn it is (from the runner's `agent_start`), when the runner tells. */
  agentStarted(name: string): void {
    this.#agent = name;
  }

  get currentAgent(): string | null {
    return this.#agent;
  }

  /** The number the next call will get. */
  get nextCall(): number {
    return this.#served + 1;
  }

  /**
   * The recorded call that answers this request, or null when it is to go to another model (past a fork's
   * `until`, or past the recording's end with `onMissing: 'live'`). Throws a DivergenceError when the request may not be served from the recording.
   */
  take(now: ComparableRequest): RecordedCall | null {
    const number = ++this.#served;
    if (this.options.until !== undefined && number > this.options.until) return null;
    const call = this.source.calls[number - 1];
    if (!call) {
      if (this.options.onMissing === 'live') return null;
      throw new DivergenceError({ call: number, agent: now.agent, field: 'calls', a: this.source.calls.length, b: number });
    }
    if (call.lost) {
      throw new RuntapeError(
        `call ${number} (agent ${call.agent}): the recording lost events ${call.lost.fromSeq}-${call.lost.toSeq} where this call's may be (a gap in run ${this.source.run.id}): it cannot be served`,
      );
    }
    // The recording holds its requests with their secrets masked: so is this one, before it is compared
    // (and before a difference quotes it).
    const differences = compareRequests(number, requestRecorded(call, this.source.agents), this.redactor.value(now), this.options);
    const fatal = (this.options.match ?? 'strict') === 'strict' ? differences[0] : differences.find((d) => d.field === 'agent');
    if (fatal) throw new DivergenceError(fatal);
    this.divergences.push(...differences);
    return call;
  }

  /** The run ended: a run that made fewer calls than were recorded differs in that, too. */
  finish(): Difference[] {
    const recorded = this.source.calls.length;
    if (this.#served < recorded) {
      this.divergences.push({ call: null, agent: null, field: 'calls', a: recorded, b: this.#served });
    }
    return this.divergences;
  }
}
