import { RuntapeError } from '../errors.js';
import { checkFaults, type Fault } from '../faults/fault.js';
import { serverError, streamCutError } from '../faults/faultErrors.js';
import { readRecordedRun } from '../rerun/recordedRun.js';
import type { RunStore } from '../store/runStore.js';
import type { RunRecord } from '../store/types.js';
import type { Playback } from './playback.js';

/** A fault placed on the recorded timeline: it strikes before the first event at or after `beforeSeq` goes out. */
interface PlacedFault {
  fault: Fault;
  beforeSeq: number;
}

/**
 * A replay's faults, each struck once as the replay passes its place: a server error before its call's first
 * event, a cut or a stall after the call's `afterEvent`-th event. A stall holds the replay; a server error or
 * a cut ends it with the error the application's `openai` client would have raised (faultErrors.ts), so a UI
 * fed by `replay()` meets the very errors a live run gives it.
 */
export class ReplayFaults {
  private constructor(private readonly pending: PlacedFault[]) {}

  /** Places `faults` on the run's calls; those before `afterSeq` (where the replay starts) are in the past. */
  static async place(store: RunStore, run: RunRecord, faults: readonly Fault[], afterSeq = -1): Promise<ReplayFaults> {
    if (faults.length === 0) return new ReplayFaults([]);
    const { calls } = await readRecordedRun(store, run);
    checkFaults(faults, new Map(calls.map((call) => [call.call, call.events.length])), run.id);
    const placed = faults.map((fault): PlacedFault => {
      const call = calls.find((c) => c.call === fault.call)!;
      if (call.events.length === 0) {
        throw new RuntapeError(`fault ${fault.kind} at call ${fault.call}: the call streamed no events in run ${run.id}, so a replay has no place for it`);
      }
      const n = fault.kind === 'serverError' ? 0 : fault.afterEvent;
      return { fault, beforeSeq: n < call.events.length ? call.events[n]!.seq : call.events.at(-1)!.seq + 1 };
    });
    return new ReplayFaults(placed.filter((p) => p.beforeSeq > afterSeq).sort((a, b) => a.beforeSeq - b.beforeSeq));
  }

  /**
   * Strikes the faults placed before the event at `seq`, in order: holds `playback` through each stall, and
   * returns the error of the first server error or cut (the replay ends with it).
   */
  async before(seq: number, playback: Playback): Promise<Error | undefined> {
    while (this.pending.length > 0 && this.pending[0]!.beforeSeq <= seq) {
      const { fault } = this.pending.shift()!;
      if (fault.kind === 'stall') await playback.hold(fault.ms);
      else return fault.kind === 'serverError' ? serverError(fault.status, fault.message) : streamCutError();
    }
    return undefined;
  }
}
