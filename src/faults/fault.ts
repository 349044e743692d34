import { RuntapeError } from '../errors.js';

/**
 * A failure injected where a recording is served (a re-run's model calls, a `replay()`), for testing how an
 * application (a UI) copes with one. Calls are numbered from 1 as in `runtape calls`; events are counted within
 * the call: the raw model events it streamed, in order, as the application receives them.
 */
export type Fault =
  /** The server answers call `call` with an HTTP error, every time it is asked (whatever the client retries). */
  | { kind: 'serverError'; call: number; status: number; message: string }
  /** The connection drops after the call's first `afterEvent` events: the response never completes. */
  | { kind: 'streamCut'; call: number; afterEvent: number }
  /** The stream stops for `ms` after the call's first `afterEvent` events, then goes on. */
  | { kind: 'stall'; call: number; afterEvent: number; ms: number };

/** How many events each recorded call streamed, by call number: what a fault may name. */
export type CallSizes = ReadonlyMap<number, number>;

/** The faults, checked against the recording they are to apply to; a fault it cannot hold fails in one line. */
export function checkFaults(faults: readonly Fault[], calls: CallSizes, runId: string): Fault[] {
  for (const fault of faults) {
    const events = calls.get(fault.call);
    if (!Number.isInteger(fault.call) || events === undefined) {
      throw new RuntapeError(`fault ${fault.kind} at call ${fault.call}: run ${runId} has no such model call (it has ${calls.size})`);
    }
    if (fault.kind === 'serverError') {
      if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
        throw new RuntapeError(`fault serverError at call ${fault.call}: status ${fault.status} is no HTTP error status (400-599)`);
      }
    } else {
      if (!Number.isInteger(fault.afterEvent) || fault.afterEvent < 0 || fault.afterEvent > events) {
        throw new RuntapeError(`fault ${fault.kind} at call ${fault.call}: afterEvent ${fault.afterEvent} is not within the call's ${events} events`);
      }
      if (fault.kind === 'stall' && !(Number.isFinite(fault.ms) && fault.ms >= 0)) {
        throw new RuntapeError(`fault stall at call ${fault.call}: ms ${fault.ms} is no duration`);
      }
    }
  }
  return [...faults];
}
