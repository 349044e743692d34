import type { HandoffCaptureRecord, ModelCallRecord } from '../capture/types.js';
import type { HandoffStep } from './runAnalyzer.js';

/** A handoff as `runtape handoffs --json` gives it: the step, the model call that asked for it, its filter. */
export interface HandoffDetails extends HandoffStep {
  /** The number of the model call whose response requested the handoff; null when no calls were captured. */
  call: number | null;
  /**
   * The input filter it went through and the conversation before and after it: name and source null when no
   * filter applied (before and after are then the same, what the next agent was sent). Null when nothing was
   * captured of it (a run recorded without capture, or by an older runtape: it kept only filtered handoffs).
   */
  inputFilter: { name: string | null; source: NonNullable<HandoffCaptureRecord['filter']>['source'] | null; before: HandoffCaptureRecord['before']; after: HandoffCaptureRecord['after'] } | null;
}

/** Each handoff step with what capture saw of it: matched by the tool call that requested it. */
export function handoffDetails(steps: readonly HandoffStep[], captured: readonly HandoffCaptureRecord[], calls: readonly ModelCallRecord[]): HandoffDetails[] {
  return steps.map((step) => {
    const record = captured.find((r) => r.callId !== null && r.callId === step.callId);
    return {
      ...step,
      // Recorded with the handoff since this version; worked out from the calls for older recordings.
      call: record?.call ?? requestingCall(step, calls),
      inputFilter: record ? { name: record.filter?.name ?? null, source: record.filter?.source ?? null, before: record.before, after: record.after ?? record.before } : null,
    };
  });
}

/**
 * The model call that requested a handoff: the handing-off agent's last call before the handoff was
 * requested (its response ends in the handoff's tool call). By seq where the calls produced events (a
 * streamed run); by time where they did not (a non-streamed run's items are recorded after the fact).
 */
function requestingCall(step: HandoffStep, calls: readonly ModelCallRecord[]): number | null {
  const own = calls.filter((c) => c.agent === step.from);
  const requestedSeq = step.requestedSeq ?? step.seq;
  const streamed = own.some((c) => c.firstSeq !== null);
  const before = streamed ? own.filter((c) => c.firstSeq !== null && c.firstSeq < requestedSeq) : own.filter((c) => c.startUs <= step.tUs);
  return before.at(-1)?.call ?? null;
}
