import { AsyncLocalStorage } from 'node:async_hooks';
import type { CaptureSink } from './types.js';

/**
 * The recorded run the current async context belongs to. Capture patches on shared objects (a `Model`, a
 * `Handoff`, a tool) ask it who is calling: outside a recorded run it answers nothing and the patch passes
 * straight through, and two runs sharing one object each get their own calls.
 */
const capturing = new AsyncLocalStorage<CaptureSink>();

/**
 * Recorded runs under way. An enabled AsyncLocalStorage costs every promise of the process a hook, so this
 * one is enabled only while some recorded run goes on, and disabled again when the last one ends.
 */
const active = new WeakSet<CaptureSink>();
let activeRuns = 0;

/** The sink of the recorded run this code runs in, if any. */
export function currentCapture(): CaptureSink | undefined {
  return capturing.getStore();
}

/** Runs `start` (and everything it starts) as part of the run `sink` records, until `captureEnded(sink)`. */
export function withCapture<T>(sink: CaptureSink, start: () => T): T {
  if (!active.has(sink)) {
    active.add(sink);
    activeRuns++;
  }
  return capturing.run(sink, start);
}

/** The run `sink` records has ended: once no recorded run is left, the context costs nothing. */
export function captureEnded(sink: CaptureSink): void {
  if (!active.has(sink)) return;
  active.delete(sink);
  if (--activeRuns === 0) {
    capturing.disable();
    toolCalls.disable();
  }
}

/** A tool call of a recorded run, while its tool runs: a run started in it (an agent used as a tool) is its child. */
export interface ToolCallScope {
  sink: CaptureSink;
  callId: string | null;
  tool: string;
}

const toolCalls = new AsyncLocalStorage<ToolCallScope>();

/**
 * The recorded run's tool call starts: the rest of this tool call's async flow (its `invoke`, and whatever the
 * tool starts) runs in it. Called from the runner's `agent_tool_start`, which the SDK emits in the tool call's
 * own async flow, after it awaited the tool's input guardrails and right before it invokes the tool: so the
 * scope reaches the tool and nothing outside this tool call (a sibling call, the turn that awaits them all).
 */
export function enterToolCall(scope: ToolCallScope): void {
  toolCalls.enterWith(scope);
}

/**
 * The tool call of the recorded run this code runs in, if any. Only a call of the run whose capture context
 * this is counts: inside a child run, the parent's call no longer does.
 */
export function currentToolCall(): ToolCallScope | undefined {
  const scope = toolCalls.getStore();
  return scope && scope.sink === capturing.getStore() ? scope : undefined;
}
