import type { Agent, Runner, Tool } from '@openai/agents';
import { currentCapture, enterToolCall } from './captureContext.js';
import { toErrorRecord } from '../events/serialize.js';
import { quietly } from './quietly.js';
import type { CaptureSink, ToolCallCaptureRecord } from './types.js';

type ToolStart = Omit<ToolCallCaptureRecord, 'output' | 'endUs' | 'error'>;
type ToolCallDetails = { toolCall?: unknown } | undefined;

/** The tool calls each recorded run has started and not yet ended, by call id. */
const started = new WeakMap<CaptureSink, Map<string, ToolStart>>();
/**
 * The tool calls of a recorded run that ended since its last model call started, each with the output its
 * `agent_tool_end` gave: held until the next model call starts (or the run ends), because a tool that threw with no `errorFunction`
 * ends too, with `String(error)` as its output, and only the run's error then says it failed.
 */
const ended = new WeakMap<CaptureSink, { record: ToolCallCaptureRecord; output: unknown }[]>();
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
  runner.on('agent_tool_end', (_context, _agent, tool, output, details) => {
    const sink = currentCapture();
    if (sink) quietly(() => toolEnded(sink, tool, output, details));
  });
}

/**
 * The run ended: the tool calls it ended last, and any it started and never saw end, are recorded now. A
 * tool that threw with no `errorFunction` (`errorFunction: null`) ends the run with the SDK's `ToolCallError`,
 * whose `error` is the tool's own; the SDK gives no hook that error (SDK 0.20 calls `agent_tool_end` with
 * `String(error)` as the output, earlier versions call nothing): that call is recorded with its error, found
 * by that output, or, never ended, as the one the run's error is about (a `ToolTimeoutError` names its tool).
 * Any other call left open (an abort) is recorded open.
 */
export function endToolCalls(sink: CaptureSink, runError: unknown): void {
  const failure = toolFailureOf(runError);
  for (const { record, output } of ended.get(sink) ?? []) {
    const failed = failure?.error !== undefined && output === String(failure.error);
    sink.capture('toolCall', failed ? { ...record, error: toErrorRecord(failure.error) } : record);
  }
  ended.delete(sink);
  const endUs = sink.elapsedUs();
  for (const start of started.get(sink)?.values() ?? []) {
    const error = failure && (failure.tool === undefined || failure.tool === start.tool) ? failure.error : undefined;
    sink.capture('toolCall', { ...start, output: null, endUs: error ? endUs : null, error: error ? toErrorRecord(error) : null });
  }
  started.delete(sink);
}

/**
 * The tool's own error when the run's error is a tool's, and the tool when it names one: by class name, as
 * the SDK's classes differ between its supported versions.
 */
function toolFailureOf(runError: unknown): { error: unknown; tool?: string } | undefined {
  if (typeof runError !== 'object' || runError === null) return undefined;
  const { name, error, toolName } = runError as { name?: unknown; error?: unknown; toolName?: unknown };
  if (name === 'ToolCallError') return { error: error ?? runError };
  if (name === 'ToolTimeoutError' && typeof toolName === 'string') return { error: runError, tool: toolName };
  return undefined;
}

/**
 * A model call starts: the tool calls of the turn before it are all over, and they succeeded (a failure
 * without an `errorFunction` would have ended the run instead).
 */
export function toolTurnOver(sink: CaptureSink): void {
  for (const { record } of ended.get(sink) ?? []) sink.capture('toolCall', record);
  ended.delete(sink);
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

function toolEnded(sink: CaptureSink, tool: Tool, output: unknown, details: ToolCallDetails): void {
  const key = callIdOf(details) ?? tool.name;
  const start = started.get(sink)?.get(key);
  if (!start) return;
  started.get(sink)!.delete(key);
  const runEnded = ended.get(sink) ?? [];
  ended.set(sink, runEnded);
  runEnded.push({ record: { ...start, output: null, endUs: sink.elapsedUs(), error: null }, output });
}

/** The id of the tool call a runner hook is about. */
export function callIdOf(details: ToolCallDetails): string | null {
  const callId = (details?.toolCall as { callId?: unknown } | undefined)?.callId;
  return typeof callId === 'string' ? callId : null;
}
