import type { Agent, InputGuardrailResult, OutputGuardrailResult } from '@openai/agents';
import { reachableAgents } from './agentObjects.js';
import { currentCapture } from './captureContext.js';
import { quietly } from './quietly.js';
import { snapshot } from './snapshot.js';
import type { CaptureSink, GuardrailCaptureRecord } from './types.js';

/** An agent's input and output guardrails as the SDK hands them back: on the result, or on a failed run's state. */
export interface AgentGuardrailResults {
  inputGuardrailResults: readonly InputGuardrailResult[];
  outputGuardrailResults: readonly OutputGuardrailResult<any, any>[];
}

/**
 * Records the run's input and output guardrails from the results the SDK keeps (tripped ones included: it
 * stores them before it throws). They carry no times. Input guardrails run for the agent the run starts
 * with, which their results do not name.
 */
export function captureGuardrailResults(sink: CaptureSink, results: AgentGuardrailResults, inputAgent: string): void {
  for (const r of results.inputGuardrailResults) {
    sink.capture('guardrail', guardrailRecord(r.guardrail.name, 'input', inputAgent, r.output.tripwireTriggered, r.output.outputInfo));
  }
  for (const r of results.outputGuardrailResults) {
    sink.capture('guardrail', guardrailRecord(r.guardrail.name, 'output', r.agent.name, r.output.tripwireTriggered, r.output.outputInfo));
  }
}

/** The guardrail results of a run that threw: a tripwire or a failed run carries the run's state. */
export function guardrailResultsOfError(error: unknown): AgentGuardrailResults | undefined {
  const state = (error as { state?: { _inputGuardrailResults?: unknown; _outputGuardrailResults?: unknown } } | null)?.state;
  if (!Array.isArray(state?._inputGuardrailResults) || !Array.isArray(state._outputGuardrailResults)) return undefined;
  return { inputGuardrailResults: state._inputGuardrailResults, outputGuardrailResults: state._outputGuardrailResults };
}

type ToolGuardrail = { name: string; type?: string; run: (args: { agent: Agent<any, any> }) => Promise<{ behavior?: { type?: string }; outputInfo?: unknown }> };
const observedGuardrails = new WeakSet<object>();

/**
 * Tool guardrails' results name neither the tool call nor the agent, so each tool guardrail of the agents
 * reachable from `start` is observed where it runs instead: a gated patch of its `run` (a plain function
 * the SDK calls as a method), once per guardrail, a straight call for runs nobody records.
 */
export function observeToolGuardrails(start: Agent<any, any>): void {
  for (const agent of reachableAgents(start)) {
    for (const tool of agent.tools ?? []) {
      const { inputGuardrails, outputGuardrails } = tool as { inputGuardrails?: ToolGuardrail[]; outputGuardrails?: ToolGuardrail[] };
      for (const guardrail of inputGuardrails ?? []) observeToolGuardrail(guardrail, 'tool_input');
      for (const guardrail of outputGuardrails ?? []) observeToolGuardrail(guardrail, 'tool_output');
    }
  }
}

function observeToolGuardrail(guardrail: ToolGuardrail, kind: 'tool_input' | 'tool_output'): void {
  if (observedGuardrails.has(guardrail) || typeof guardrail.run !== 'function') return;
  observedGuardrails.add(guardrail);
  const run = guardrail.run;
  guardrail.run = async function (this: unknown, args) {
    const sink = currentCapture();
    if (!sink) return run.call(this, args);
    const startUs = sink.elapsedUs();
    const output = await run.call(this, args);
    quietly(() => {
      // Any behavior but `allow` (reject the content, throw) is the tool guardrail's tripwire.
      const tripwire = (output?.behavior?.type ?? 'allow') !== 'allow';
      sink.capture('guardrail', { ...guardrailRecord(guardrail.name, kind, args.agent.name, tripwire, output), startUs, endUs: sink.elapsedUs() });
    });
    return output;
  };
}

function guardrailRecord(name: string, kind: GuardrailCaptureRecord['kind'], agent: string, tripwire: boolean, result: unknown): GuardrailCaptureRecord {
  return { name, kind, agent, tripwire, result: result === undefined ? null : snapshot(result), startUs: null, endUs: null };
}
