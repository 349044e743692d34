import type { StreamedRunResult } from '@openai/agents';
import { toErrorRecord } from '../events/serialize.js';
import type { RunEnd } from '../store/types.js';

/**
 * How a run ended, read off the SDK's result at the moment the runner ended its stream. A cancelled run
 * (the application broke out of its loop, cancelled the stream, or aborted its signal) is cancelled
 * whatever error the abort raised.
 */
export function runEndOf(result: StreamedRunResult<any, any>, durationUs: number, error: unknown, appSignal: AbortSignal | undefined): RunEnd {
  const common = { durationUs, lastAgent: result.lastAgent?.name ?? null, usage: usageOf(result), cancelledBy: null, runState: null };
  if (result.cancelled) {
    return { ...common, status: 'cancelled', finalOutput: null, error: null, cancelledBy: appSignal?.aborted ? 'signal' : 'consumer' };
  }
  if (error !== undefined) return { ...common, status: 'error', finalOutput: null, error: toErrorRecord(error) };
  // An interrupted run has no final output yet (the SDK warns when it is read).
  // It keeps its RunState, from which it is resumed (the resumed run links back to it).
  if (result.interruptions.length > 0) return { ...common, status: 'interrupted', finalOutput: null, error: null, runState: serializedState(result) };
  return { ...common, status: 'completed', finalOutput: result.finalOutput ?? null, error: null };
}

/** The SDK's whole usage: totals, cached and reasoning token details, and one entry per request. */
function usageOf(result: StreamedRunResult<any, any>): unknown {
  const usage = result.state?.usage;
  return usage ? JSON.parse(JSON.stringify(usage)) : null;
}

function serializedState(result: StreamedRunResult<any, any>): string | null {
  try {
    return result.state.toString();
  } catch {
    return null; // a context that does not serialize: the run is still recorded, only not resumable from here
  }
}
