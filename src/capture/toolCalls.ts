import type { Agent, Runner, Tool } from '@openai/agents';
import { currentCapture } from './captureContext.js';
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
    if (sink) quietly(() => toolStarted(sink, agent, tool, details));
  });
  runner.on('agent_tool_end', (_context, _agent, tool, _output, details) => {
    const sink = currentCapture();
    if (sink) quietly(() => toolEnded(sink, tool, details));
  });
}

/** The run ended: a tool call it started and never saw end (an abort, a crash in the tool's run) is recorded open. */
export function endToolCalls(sink: CaptureSink): void {
  for (const start of started.get(sink)?.values() ?? []) sink.capture('toolCall', { ...start, output: null, endUs: null, error: null });
  started.delete(sink);
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
