import type { Agent, Runner } from '@openai/agents';
import { captureGuardrailResults, guardrailResultsOfError, observeToolGuardrails, type AgentGuardrailResults } from './guardrails.js';
import { observeHandoffFilters, observeUnfilteredHandoffs } from './handoffFilters.js';
import { observeSpans } from './spans.js';
import { endToolCalls, observeToolCalls } from './toolCalls.js';
import { quietly } from './quietly.js';
import type { CaptureSink } from './types.js';

/**
 * Installs what observes a run about to start on `runner` from `startingAgent`: the input filters of the
 * handoffs it can reach (and the handoffs without one), its tool calls and tool guardrails, its spans. Each piece is installed once and
 * gated by the recorded run's async context, so a run nobody records passes through untouched.
 */
export function prepareRunCapture(runner: Runner, startingAgent: Agent<any, any>): void {
  quietly(() => {
    observeHandoffFilters(startingAgent);
    observeUnfilteredHandoffs(runner);
    observeToolGuardrails(startingAgent);
    observeToolCalls(runner);
    observeSpans();
  });
}

/** How a run ended: its result (a streamed one's, even when it failed), or the error it failed with before it had one. */
export interface RunOutcome {
  result?: AgentGuardrailResults & { error?: unknown };
  error?: unknown;
}

/**
 * What is read once a run ended, before its recording closes: the input and output guardrail results the
 * SDK kept (on the result, or on the state a failed run's error carries), and tool calls left open.
 */
export function finishRunCapture(sink: CaptureSink, ended: RunOutcome, startingAgent: string): void {
  quietly(() => {
    const results = ended.result ?? guardrailResultsOfError(ended.error);
    if (results) captureGuardrailResults(sink, results, startingAgent);
    // A streamed run that failed has its result, which holds the error.
    endToolCalls(sink, ended.error ?? ended.result?.error);
  });
}
