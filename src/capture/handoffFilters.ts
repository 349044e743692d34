import type { Agent, Handoff, HandoffInputData, RunConfig } from '@openai/agents';
import { isHandoff, reachableAgents } from './agentObjects.js';
import { currentCapture } from './captureContext.js';
import { quietly } from './quietly.js';
import { snapshot } from './snapshot.js';
import type { HandoffCaptureRecord, HandoffInputSnapshot } from './types.js';

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
        // `call` is left to whoever reads the run: the model call numbers are the model-call capture's.
        if (handoff && before) sink.capture('handoff', { ...handoff, call: null, tUs, filter: { name: filter.name || null, source }, before, after: snapshotInput(after) });
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
