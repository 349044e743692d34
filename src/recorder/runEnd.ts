import type { StreamedRunResult } from '@openai/agents';
import { toErrorRecord } from '../events/serialize.js';
import type { RunEnd } from '../store/types.js';

/**
 * How a run ended, read off the SDK's result at the moment the runner ended its stream. A cancelled run
 * (the application broke out of its loop, cancelled the stream, or aborted its signal) is cancelled
 * whatever error the abort raised.
 */
export function runEndOf(result: StreamedRunResult<any, any>, durationUs: number, error: unknown, appSignal: AbortSignal | undefined): RunEnd {
  const common = { durationUs, lastAgent: result.lastAgent?.name ?? null, usage: usageOf(result), cancelledBy: null };
  if (result.cancelled) {
    return { ...common, status: 'cancelled', finalOutput: null, error: null, cancelledBy: appSignal?.aborted ? 'signal' : 'consumer' };
  }
  if (error !== undefined) return { ...common, status: 'error', finalOutput: null, error: toErrorRecord(error) };
  // An interrupted run has no final output yet (the SDK warns when it is read).
  if (result.interruptions.length > 0) return { ...common, status: 'interrupted', finalOutput: null, error: null };
  return { ...common, status: 'completed', finalOutput: result.finalOutput ?? null, error: null };
}

function usageOf(result: StreamedRunResult<any, any>): unknown {
  const usage = result.state?.usage;
  if (!usage) return null;
  const { requests, inputTokens, outputTokens, totalTokens } = usage;
  return { requests, inputTokens, outputTokens, totalTokens };
}
