import type { Agent, Runner, Tool } from '@openai/agents';
import { currentCapture, enterToolCall } from './captureContext.js';
import { toErrorRecord } from '../events/serialize.js';
import { quietly } from './quietly.js';
import type { CaptureSink, ToolCallCaptureRecord } from './types.js';

type ToolStart = Omit<ToolCallCaptureRecord, 'output' | 'endUs' | 'error'>;
type ToolCallDetails = { toolCall?: unknown } | undefined;

/** The tool calls each recorded run has started and not yet ended, by call id. */
const started = new WeakMap<CaptureSink, Map<string, ToolStart>>();
const listening = new WeakSet<Runner>();

/**
 * Records each tool call a recorded run makes through the runner's own `agent_tool_start` and `agent_tool_end`
 * hooks: listeners beside the application's, added once per runner, and a no-op for runs nobody records.
 * The tool objects stay untouched (the SDK keys a function tool's input parser by its `invoke`). The output is
 * not stored twice: the run's `tool_output` item for the same call id carries it (a failed tool's too, as the
 * error text the SDK hands the model), so `output` is null here; the tool's span has the error when tracing is on.
 */
export function observeToolCalls(runner: Runner): void {
  if (listening.has(runner)) return;
  listening.add(runner);
  runner.on('agent_tool_start', (_context, agent, tool, details) => {
    const sink = currentCapture();
    if (!sink) return;
    quietly(() => toolStarted(sink, agent, tool, details));
    enterToolCall({ sink, callId: callIdOf(details), tool: tool.name });
  });
  runner.on('agent_tool_end', (_context, _agent, tool, _output, details) => {
    const sink = currentCapture();
    if (sink) quietly(() => toolEnded(sink, tool, details));
  });
}

/**
 * The run ended: a tool call it started and never saw end is recorded now. A tool that threw with no
 * `errorFunction` (`errorFunction: null`) ends the run with the SDK's `ToolCallError`, whose `error` is the
 * tool's own, and the SDK calls no hook for it: that call ends here, with its error, when the run's error
 * says it is a tool's (a `ToolTimeoutError` names its tool). Any other call left open (an abort, a sibling
 * still running) is recorded open.
 */
export function endToolCalls(sink: CaptureSink, runError: unknown): void {
  const endUs = sink.elapsedUs();
  for (const start of started.get(sink)?.values() ?? []) {
    const error = toolErrorOf(runError, start.tool);
    sink.capture('toolCall', { ...start, output: null, endUs: error ? endUs : null, error: error ? toErrorRecord(error) : null });
  }
  started.delete(sink);
}

/**
 * The tool's own error when the run's error is a tool's: by name, as the SDK's classes differ between its
 * supported versions (`ToolCallError` carries the tool's error; `ToolTimeoutError` is one and names its tool).
 */
function toolErrorOf(runError: unknown, tool: string): unknown {
  if (typeof runError !== 'object' || runError === null) return undefined;
  const { name, error, toolName } = runError as { name?: unknown; error?: unknown; toolName?: unknown };
  if (name === 'ToolCallError') return error ?? runError;
  if (name === 'ToolTimeoutError' && toolName === tool) return runError;
  return undefined;
}

function toolStarted(sink: CaptureSink, agent: Agent<any, any>, tool: Tool, details: ToolCallDetails): void {
  const call = details?.toolCall as { arguments?: unknown; action?: unknown } | undefined;
  const callId = callIdOf(details);
  const runStarts = started.get(sink) ?? new Map<string, ToolStart>();
  started.set(sink, runStarts);
  runStarts.set(callId ?? tool.name, {
    callId,
    tool: tool.name,
    agent: agent.name,
    // Function tools carry their arguments as JSON text; shell, computer and patch tools an action.
    arguments: typeof call?.arguments === 'string' ? call.arguments : JSON.stringify(call?.action ?? null),
    startUs: sink.elapsedUs(),
  });
}

function toolEnded(sink: CaptureSink, tool: Tool, details: ToolCallDetails): void {
  const key = callIdOf(details) ?? tool.name;
  const start = started.get(sink)?.get(key);
  if (!start) return;
  started.get(sink)!.delete(key);
  sink.capture('toolCall', { ...start, output: null, endUs: sink.elapsedUs(), error: null });
}

/** The id of the tool call a runner hook is about. */
export function callIdOf(details: ToolCallDetails): string | null {
  const callId = (details?.toolCall as { callId?: unknown } | undefined)?.callId;
  return typeof callId === 'string' ? callId : null;
}
