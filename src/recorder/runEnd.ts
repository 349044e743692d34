import type { RunResult, StreamedRunResult } from '@openai/agents';
import { toErrorRecord } from '../events/serialize.js';
import type { RunEnd } from '../store/types.js';

/**
 * How a run ended, read off the SDK's result at the moment the runner ended its stream. A cancelled run
 * (the application broke out of its loop, cancelled the stream, or aborted its signal) is cancelled
 * whatever error the abort raised.
 */
export function runEndOf(result: AnyRunResult, durationUs: number, error: unknown, appSignal: AbortSignal | undefined): RunEnd {
  const common = { durationUs, lastAgent: result.lastAgent?.name ?? null, usage: usageOf(result), cancelledBy: null, runState: null };
  if ('cancelled' in result && result.cancelled) {
    return { ...common, status: 'cancelled', finalOutput: null, error: null, cancelledBy: appSignal?.aborted ? 'signal' : 'consumer' };
  }
  if (error !== undefined) return { ...common, status: 'error', finalOutput: null, error: toErrorRecord(error) };
  // An interrupted run has no final output yet (the SDK warns when it is read).
  // It keeps its RunState, from which it is resumed (the resumed run links back to it).
  if (result.interruptions.length > 0) return { ...common, status: 'interrupted', finalOutput: null, error: null, runState: serializedState(result) };
  return { ...common, status: 'completed', finalOutput: result.finalOutput ?? null, error: null };
}

/** A run that failed before it had a result (a non-streamed run's `run()` rejected). */
export function failedRunEnd(error: unknown, durationUs: number): RunEnd {
  return { status: 'error', durationUs, lastAgent: null, finalOutput: null, error: toErrorRecord(error), usage: null, cancelledBy: null, runState: null };
}

type AnyRunResult = RunResult<any, any> | StreamedRunResult<any, any>;

/** The SDK's whole usage: totals, cached and reasoning token details, and one entry per request. */
function usageOf(result: AnyRunResult): unknown {
  const usage = result.state?.usage;
  return usage ? JSON.parse(JSON.stringify(usage)) : null;
}

function serializedState(result: AnyRunResult): string | null {
  try {
    return result.state.toString();
  } catch {
    return null; // a context that does not serialize: the run is still recorded, only not resumable from here
  }
}
