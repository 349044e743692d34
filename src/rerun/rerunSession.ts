import type { Model } from '@openai/agents';
import { RuntapeError } from '../errors.js';
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
}

/**
 * One re-run in progress: which recorded call comes next, who is calling, and the differences found so far.
 * Calls are numbered from 1, like the recording's.
 */
export class RerunSession {
  readonly divergences: Difference[] = [];
  #served = 0;
  #agent: string | null = null;

  constructor(
    readonly source: RecordedRun,
    readonly options: RerunMatchOptions,
    /** The rules the recording was redacted with: a request is compared as the recording would hold it. */
    readonly redactor: Redactor,
  ) {}

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
