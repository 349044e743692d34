import { AsyncLocalStorage } from 'node:async_hooks';
import type { CaptureSink } from './types.js';

/**
 * The recorded run the current async context belongs to. Capture patches on shared objects (a `Model`, a
 * `Handoff`, a tool) ask it who is calling: outside a recorded run it answers nothing and the patch passes
 * straight through, and two runs sharing one object each get their own calls.
 *
 * It rides on the SDK's own tracing context rather than on an AsyncLocalStorage of its own: every enabled
 * AsyncLocalStorage costs each promise of the process a property copy, and a streamed run makes several
 * promises per event, so a second one cost a CPU-bound stream a tenth of the SDK's own time. One storage,
 * installed as the SDK's tracing context storage (the SDK reads it through a global symbol on every use),
 * holds a frame of both: the SDK's store, exactly as the SDK sets and reads it, and the recorded run. The
 * recorder keeps its starting runs in the same frames, for the same reason.
 */
interface Frame {
  /** What the SDK's tracing keeps in its context storage (its trace and span), untouched. */
  tracing: unknown;
  sink: CaptureSink | undefined;
  /** A recorded run between its call and its result (resultHooks.ts): the recorder's, opaque here. */
  starting: unknown;
  /** The recorded run's tool call whose tool this code runs in, if any. */
  toolCall?: ToolCallScope;
}

/** Where the SDK looks up its tracing context storage (agents-core's tracing/context). */
const SDK_TRACING_STORAGE = Symbol.for('openai.agents.core.asyncLocalStorage');

interface TracingStorage {
  run<R>(store: unknown, callback: () => R): R;
  getStore(): unknown;
  enterWith(store: unknown): void;
}

const frames = new AsyncLocalStorage<Frame>();

/**
 * The SDK's tracing context storage, as the SDK sees it: its own stores in and out, each frame keeping the
 * recorded run of the context it was made in. A context made before it was installed (an SDK run already
 * under way) is still read from the storage it was made with.
 */
class SharedTracingStorage implements TracingStorage {
  constructor(private readonly earlier: TracingStorage | undefined) {}

  getStore(): unknown {
    const frame = frames.getStore();
    return frame ? frame.tracing : this.earlier?.getStore();
  }

  run<R>(store: unknown, callback: () => R): R {
    return frames.run(withTracing(store), callback);
  }

  enterWith(store: unknown): void {
    frames.enterWith(withTracing(store));
  }
}

/** The current frame with the SDK's store replaced. */
function withTracing(tracing: unknown): Frame {
  const frame = frames.getStore();
  return { tracing, sink: frame?.sink, starting: frame?.starting, toolCall: frame?.toolCall };
}

let shared: SharedTracingStorage | undefined;

/**
 * Makes the SDK keep its tracing context in the storage capture shares with it, once (a RecordingRunner does,
 * when it is made: before its runs start). The SDK's tracing behaves as before; only where it is kept moves.
 */
export function shareTracingContext(): void {
  const global = globalThis as { [SDK_TRACING_STORAGE]?: TracingStorage };
  if (shared && global[SDK_TRACING_STORAGE] === shared) return;
  shared = new SharedTracingStorage(global[SDK_TRACING_STORAGE]);
  Object.defineProperty(global, SDK_TRACING_STORAGE, { value: shared, writable: true, configurable: true });
}

/** The sink of the recorded run this code runs in, if any. */
export function currentCapture(): CaptureSink | undefined {
  return frames.getStore()?.sink;
}

/**
 * Runs `start` (and everything it starts) as part of the run `sink` records. Once the run has ended, its
 * sink takes nothing more (RunRecording ignores captures after its end).
 */
export function withCapture<T>(sink: CaptureSink, start: () => T): T {
  shareTracingContext();
  const frame = frames.getStore();
  return frames.run({ tracing: shared!.getStore(), sink, starting: frame?.starting, toolCall: frame?.toolCall }, start);
}

/** Runs `start` (and everything it starts) with `starting` as the recorder's starting run of this context. */
export function withStartingRun<T>(starting: unknown, start: () => T): T {
  shareTracingContext();
  const frame = frames.getStore();
  return frames.run({ tracing: shared!.getStore(), sink: frame?.sink, starting, toolCall: frame?.toolCall }, start);
}

/** The recorder's starting run of this context, if any. */
export function startingRun(): unknown {
  return frames.getStore()?.starting;
}

/** A tool call of a recorded run, while its tool runs: a run started in it (an agent used as a tool) is its child. */
export interface ToolCallScope {
  sink: CaptureSink;
  callId: string | null;
  tool: string;
}

/**
 * The recorded run's tool call starts: the rest of this tool call's async flow (its `invoke`, and whatever the
 * tool starts) runs in it. Called from the runner's `agent_tool_start`, which the SDK emits in the tool call's
 * own async flow, after it awaited the tool's input guardrails and right before it invokes the tool: so the
 * scope reaches the tool and nothing outside this tool call (a sibling call, the turn that awaits them all).
 */
export function enterToolCall(scope: ToolCallScope): void {
  const frame = frames.getStore();
  frames.enterWith({ tracing: frame?.tracing ?? shared?.getStore(), sink: frame?.sink, starting: frame?.starting, toolCall: scope });
}

/**
 * The tool call of the recorded run this code runs in, if any. Only a call of the run whose capture context
 * this is counts: inside a child run, the parent's call no longer does.
 */
export function currentToolCall(): ToolCallScope | undefined {
  const frame = frames.getStore();
  return frame?.toolCall && frame.toolCall.sink === frame.sink ? frame.toolCall : undefined;
}
