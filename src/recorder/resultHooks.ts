import { StreamedRunResult, type RunStreamEvent } from '@openai/agents';
import { startingRun, withStartingRun } from '../capture/captureContext.js';

/**
 * How the recorder sees a streamed run without becoming a reader of it. The runner hands every stream
 * event to its result through `result._addItem(event)` and ends it with `_done()` or `_raiseError(err)`
 * (see shared/sdk-notes.md). Those three methods are wrapped once on the SDK's own prototype, so the
 * application keeps the SDK's very result object with all of its semantics (late reads, abort, break,
 * locks, errors), and a recorded result is found by a WeakMap lookup: a result nobody records passes
 * straight through. The hooks are `@internal` in the SDK: the supported-versions tests guard them.
 */
export interface ResultObserver {
  /** An event the SDK accepted into the result's stream, at the moment it did. */
  event(event: RunStreamEvent): void;
  /** The run ended: `_done()` or `_raiseError(err)` (only the first end counts). */
  end(result: StreamedRunResult<any, any>, error?: unknown): void;
}

type Internals = {
  _addItem(event: RunStreamEvent): void;
  _done(): void;
  _raiseError(error: unknown, options?: unknown): void;
};

const observers = new WeakMap<object, ResultObserver>();
/** The result the last event was for, and its observer: a stream's events come one run at a time, mostly. */
let lastResult: object | undefined;
let lastObserver: ResultObserver | undefined;

function observerOf(result: StreamedRunResult<any, any>): ResultObserver | undefined {
  if (result === lastResult) return lastObserver;
  const observer = observers.get(result) ?? bindPending(result);
  // Only an observed result is remembered: one nobody records may still be bound by its first event.
  if (observer) (lastResult = result), (lastObserver = observer);
  return observer;
}

/**
 * A RecordingRunner's run, between the call and the moment its result exists: the first result that
 * produces anything inside this async context is that run's (a nested run, an agent used as a tool,
 * starts only after its parent produced events). It is kept in the run context the recorder shares with the
 * SDK's tracing (captureContext.ts), which costs nothing more: no AsyncLocalStorage of its own.
 */
interface PendingRun {
  bind(result: StreamedRunResult<any, any>): ResultObserver | undefined;
  bound: boolean;
}

const INSTALLED = Symbol.for('runtape.resultHooks');

/** Wraps the hooks on a StreamedRunResult prototype, once, however many times runtape is asked to. */
export function installResultHooks(prototype: object = StreamedRunResult.prototype): void {
  const target = prototype as Internals & { [INSTALLED]?: true };
  if (target[INSTALLED]) return;
  Object.defineProperty(target, INSTALLED, { value: true });
  const { _addItem, _done, _raiseError } = target;

  target._addItem = function (this: StreamedRunResult<any, any> & Internals, event: RunStreamEvent) {
    const observer = observerOf(this);
    // What the SDK drops (after a cancel or the stream's end) is not part of the run's stream.
    const accepted = observer !== undefined && !this.cancelled;
    const returned = _addItem.call(this, event);
    if (accepted) {
      // Inline rather than through guarded(): no closure per event on the hot path.
      try {
        observer.event(event);
      } catch {
        // A recorder failure never reaches the SDK's runner; the recording reports its own failures.
      }
    }
    return returned;
  };
  target._done = function (this: StreamedRunResult<any, any> & Internals) {
    const observer = observerOf(this);
    forget(this);
    const returned = _done.call(this);
    if (observer) guarded(() => observer.end(this));
    return returned;
  };
  target._raiseError = function (this: StreamedRunResult<any, any> & Internals, error: unknown, options?: unknown) {
    const observer = observerOf(this);
    forget(this);
    const returned = _raiseError.call(this, error, options);
    if (observer) guarded(() => observer.end(this, error));
    return returned;
  };
}

/** An ended run's result is not held on to. */
function forget(result: object): void {
  if (result === lastResult) lastResult = lastObserver = undefined;
}

function bindPending(result: StreamedRunResult<any, any>): ResultObserver | undefined {
  const pending = startingRun() as PendingRun | undefined;
  return pending && !pending.bound ? attach(pending, result) : undefined;
}

/** A starting run's result, found: it is that run's from now on. */
function attach(pending: PendingRun, result: StreamedRunResult<any, any>): ResultObserver | undefined {
  pending.bound = true;
  const observer = pending.bind(result);
  if (observer) observers.set(result, observer);
  return observer;
}

/** Observes a result that already exists (`record(result)`), unless it is observed already. */
export function observeResult(result: StreamedRunResult<any, any>, observer: () => ResultObserver): void {
  installResultHooks(Object.getPrototypeOf(result));
  if (!observers.has(result)) observers.set(result, observer());
}

/**
 * Runs `start` (a runner's `run`) so that the result it creates is observed from its very first event,
 * even one produced before `start`'s promise settles.
 */
export async function observeRunStartedBy<T extends StreamedRunResult<any, any>>(
  start: () => Promise<T>,
  bind: (result: StreamedRunResult<any, any>) => ResultObserver | undefined,
): Promise<T> {
  installResultHooks();
  const pending: PendingRun = { bind, bound: false };
  let result: T;
  try {
    result = await withStartingRun(pending, start);
  } catch (error) {
    pending.bound = true; // the run never started: nothing to record
    throw error;
  }
  if (!pending.bound) attach(pending, result);
  return result;
}

/** A recorder failure must never reach the SDK's runner, whatever it is. */
function guarded(fn: () => void): void {
  try {
    fn();
  } catch {
    // Deliberately silent here: the recording reports its own failures once, through its warning.
  }
}
