import type { Agent, Handoff, HandoffInputData, ModelRequest, RunConfig, Runner } from '@openai/agents';
import { isHandoff, reachableAgents } from './agentObjects.js';
import { currentCapture } from './captureContext.js';
import { beforeNextCall, lastCallNumber } from './modelCalls.js';
import { quietly } from './quietly.js';
import { snapshot } from './snapshot.js';
import type { CaptureSink, HandoffCaptureRecord, HandoffInputSnapshot } from './types.js';

type HandoffInputFilter = NonNullable<Handoff<any, any>['inputFilter']>;
type FilterSource = NonNullable<HandoffCaptureRecord['filter']>['source'];

/** The observing wrappers made so far: a wrapper is never wrapped again. */
const observers = new WeakSet<HandoffInputFilter>();

/**
 * Observes the input filter of every handoff reachable from `start` that has one of its own. The SDK reads
 * `handoff.inputFilter ?? runConfig.handoffInputFilter` when a handoff happens (runner/toolExecution.js), so
 * the observing wrapper goes on the Handoff object itself. Handoffs without a filter stay untouched: giving
 * one a filter would change what the SDK does (filters are refused with server-managed conversations).
 */
export function observeHandoffFilters(start: Agent<any, any>): void {
  for (const agent of reachableAgents(start)) {
    for (const h of agent.handoffs ?? []) {
      if (isHandoff(h) && typeof h.inputFilter === 'function') h.inputFilter = observedFilter(h.inputFilter, 'handoff');
    }
  }
}

/** Observes the run-level filter (`RunConfig.handoffInputFilter`) of a runner's own config. */
export function observeRunConfigFilter(config: Pick<RunConfig, 'handoffInputFilter'>): void {
  if (typeof config.handoffInputFilter === 'function') config.handoffInputFilter = observedFilter(config.handoffInputFilter, 'runConfig');
}

/**
 * A filter that does what `filter` does and, inside a recorded run, hands that run the conversation before
 * and after it. Filters are synchronous: so is this, and it does no I/O (the sink batches). Outside a recorded
 * run it is a plain call through, and anything the capture itself trips on never reaches the SDK.
 */
function observedFilter(filter: HandoffInputFilter, source: FilterSource): HandoffInputFilter {
  if (observers.has(filter)) return filter;
  const observed = {
    // A method, not an arrow function: `this` passes through, and it has no `prototype` of its own.
    inputFilter(this: unknown, data: HandoffInputData): HandoffInputData {
      const sink = currentCapture();
      if (!sink) return filter.call(this, data);
      // Read before the filter runs: it may change the arrays it is given in place.
      const tUs = sink.elapsedUs();
      const handoff = quietly(() => handoffOf(data));
      const before = quietly(() => snapshotInput(data));
      const after = filter.call(this, data);
      quietly(() => {
        // The call that requested it is the run's last: the filter runs before the next agent's first call.
        if (handoff && before) sink.capture('handoff', { ...handoff, call: lastCallNumber(sink), tUs, filter: { name: filter.name || null, source }, before, after: snapshotInput(after) });
      });
      return after;
    },
  }.inputFilter;
  // The filter's own properties (its name, anything the application hung on it) are the wrapper's too.
  for (const key of Reflect.ownKeys(filter)) {
    if (key !== 'prototype') Object.defineProperty(observed, key, Object.getOwnPropertyDescriptor(filter, key)!);
  }
  observers.add(observed);
  return observed;
}

const listening = new WeakSet<Runner>();

/**
 * Records the handoffs of a recorded run that no input filter applies to, so that every handoff has a record:
 * filter none, before and after the same. Such a handoff gets no wrapper (a filter it did not have would change
 * what the SDK does) and the runner's `agent_handoff` hook is told no conversation, so the record is the
 * conversation the next agent was sent, whole (as `inputHistory`), taken from its first model call's request,
 * and made then; a run that ends before that call has none. Listened to once per runner.
 */
export function observeUnfilteredHandoffs(runner: Runner): void {
  if (listening.has(runner)) return;
  listening.add(runner);
  runner.on('agent_handoff', (_context, from, to) => {
    const sink = currentCapture();
    if (sink) quietly(() => unfilteredHandoff(sink, runner, from, to));
  });
}

function unfilteredHandoff(sink: CaptureSink, runner: Runner, from: Agent<any, any>, to: Agent<any, any>): void {
  const taken = (from.handoffs ?? []).find((h) => (isHandoff(h) ? h.agent === to || h.agentName === to.name : h === to));
  // The SDK reads `handoff.inputFilter ?? runConfig.handoffInputFilter`: a filter applies, and its wrapper records it.
  if (typeof ((taken && isHandoff(taken) ? taken.inputFilter : undefined) ?? runner.config.handoffInputFilter) === 'function') return;
  const tUs = sink.elapsedUs();
  const call = lastCallNumber(sink);
  beforeNextCall(sink, (request) => {
    const sent = snapshot<HandoffInputSnapshot>({ inputHistory: request.input, preHandoffItems: [], newItems: [] });
    sink.capture('handoff', { callId: handoffCallId(request), call, from: from.name, to: to.name, tUs, filter: null, before: sent, after: sent });
  });
}

/** The handoff's tool call, from its output: the SDK adds it last to what the next agent is sent. */
function handoffCallId(request: ModelRequest): string | null {
  if (typeof request.input === 'string') return null;
  const output = request.input.findLast((item) => item.type === 'function_call_result') as { callId?: unknown } | undefined;
  return typeof output?.callId === 'string' ? output.callId : null;
}

function snapshotInput(data: HandoffInputData): HandoffInputSnapshot {
  return snapshot({ inputHistory: data.inputHistory, preHandoffItems: data.preHandoffItems, newItems: data.newItems });
}

/**
 * Which handoff is being filtered: the SDK appends the handoff's output item (its tool call id, the agents
 * on both sides) to `newItems` before it calls the filter, and a run-level filter is told nothing else.
 */
function handoffOf(data: HandoffInputData): Pick<HandoffCaptureRecord, 'callId' | 'from' | 'to'> {
  const output = data.newItems.findLast((item) => item.type === 'handoff_output_item');
  if (output?.type !== 'handoff_output_item') return { callId: null, from: '', to: '' };
  const callId = (output.rawItem as { callId?: unknown }).callId;
  return { callId: typeof callId === 'string' ? callId : null, from: output.sourceAgent.name, to: output.targetAgent.name };
}
