import { isDeepStrictEqual } from 'node:util';
import { describeConversationItem, filterEffect } from '../analysis/handoffFilterEffect.js';
import type { Difference, DifferenceField } from './difference.js';
import { compareRequests } from './matching.js';
import type { RecordedCall, RecordedItem, RecordedRun } from './recordedRun.js';
import { requestRecorded, type ComparableRequest } from './request.js';

/** How long a run took, and its model calls in all: shown beside a diff, never a difference (timing is noise). */
export interface TimingSummary {
  durationUs: number | null;
  calls: number;
  /** The model calls' time, from each call's start to its last event. */
  modelUs: number;
}

export interface RunDiff {
  equal: boolean;
  differences: Difference[];
  timing: { a: TimingSummary; b: TimingSummary };
}

/** What a run as a whole is compared on. */
export interface RunFacts {
  /** How it ended, with the error that ended it: a re-run that diverged says where. */
  status: string;
  path: string[];
  handoffs: Handoff[];
  calls: number;
  finalOutput: unknown;
}

/** What one model call is compared on: its request, and what came of it. */
export interface CallFacts {
  call: number;
  agent: string;
  request: ComparableRequest;
  toolCalls: { name: unknown; arguments: unknown }[];
  toolOutputs: { name: unknown; output: unknown }[];
  /** The handoffs that came of it (compared for the run as a whole, in `RunFacts.handoffs`). */
  handoffs: Handoff[];
}

/** A handoff as compared: who handed off to whom, and the input filter it went through, with what it removed. */
export interface Handoff {
  from: unknown;
  to: unknown;
  filter: { name: string | null; source: 'handoff' | 'runConfig'; removed: string[] } | null;
}

export function runFacts(run: RecordedRun): RunFacts {
  return { status: statusOf(run), path: run.path, handoffs: handoffs(run, allItems(run)), calls: run.calls.length, finalOutput: run.run.finalOutput };
}

export function callFacts(run: RecordedRun, call: RecordedCall): CallFacts {
  return {
    call: call.call,
    agent: call.agent,
    request: requestRecorded(call, run.agents),
    toolCalls: toolCalls(call),
    toolOutputs: toolOutputs(call),
    handoffs: handoffs(run, call.items),
  };
}

/**
 * Compares two runs as an agent developer reads them: how each ended, the agents' path and handoffs, and call
 * by call (aligned by number) who called with which request, which tools were called with which arguments and
 * what they returned; then the final output. `a` is the first run, `b` the second.
 */
export function diffRuns(a: RecordedRun, b: RecordedRun): RunDiff {
  const differences: Difference[] = [];
  const [ra, rb] = [runFacts(a), runFacts(b)];
  const run = (field: DifferenceField & keyof RunFacts) => {
    if (!isDeepStrictEqual(ra[field], rb[field])) differences.push({ call: null, agent: null, field, a: ra[field], b: rb[field] });
  };
  run('status');
  run('path');
  run('handoffs');
  run('calls');
  for (let i = 0; i < Math.min(a.calls.length, b.calls.length); i++) {
    const [ca, cb] = [callFacts(a, a.calls[i]!), callFacts(b, b.calls[i]!)];
    differences.push(...compareRequests(ca.call, ca.request, cb.request));
    const call = (field: DifferenceField & keyof CallFacts) => {
      if (!isDeepStrictEqual(ca[field], cb[field])) differences.push({ call: cb.call, agent: cb.agent, field, a: ca[field], b: cb[field] });
    };
    call('toolCalls');
    call('toolOutputs');
  }
  run('finalOutput');
  return { equal: differences.length === 0, differences, timing: { a: timingOf(a), b: timingOf(b) } };
}

function itemsNamed(items: readonly RecordedItem[], name: string): RecordedItem['item'][] {
  return items.filter((i) => i.name === name).map((i) => i.item);
}

function allItems(run: RecordedRun): RecordedItem[] {
  return [...run.looseItems, ...run.calls.flatMap((c) => c.items)];
}

/**
 * Each handoff among `items`: from which agent to which (the handoff output item names both), and, where capture
 * saw it (matched by the tool call that asked for it), its input filter: the filter's name and the items it did
 * not pass on, each in a few words (their ids are the model's, not the application's).
 */
function handoffs(run: RecordedRun, items: readonly RecordedItem[]): Handoff[] {
  return itemsNamed(items, 'handoff_occurred').map((item) => {
    const callId = item.rawItem?.callId;
    const record = run.handoffs.find((r) => r.callId !== null && r.callId === callId);
    const effect = record ? filterEffect(record) : null;
    return {
      from: (item.sourceAgent as { name?: unknown } | undefined)?.name ?? null,
      to: (item.targetAgent as { name?: unknown } | undefined)?.name ?? null,
      filter: effect && { name: effect.name, source: effect.source, removed: effect.removed.map((removed) => describeConversationItem(removed, Number.POSITIVE_INFINITY)) },
    };
  });
}

function toolCalls(call: RecordedCall): { name: unknown; arguments: unknown }[] {
  return itemsNamed(call.items, 'tool_called').map((item) => ({ name: item.rawItem?.name ?? null, arguments: item.rawItem?.arguments ?? null }));
}

function toolOutputs(call: RecordedCall): { name: unknown; output: unknown }[] {
  return itemsNamed(call.items, 'tool_output').map((item) => ({ name: item.rawItem?.name ?? null, output: item.output ?? item.rawItem?.output ?? null }));
}

function statusOf({ run }: RecordedRun): string {
  return run.error ? `${run.status} (${run.error.name}: ${run.error.message})` : run.status;
}

function timingOf(run: RecordedRun): TimingSummary {
  const modelUs = run.calls.reduce((sum, call) => sum + ((call.events.at(-1)?.tUs ?? call.startUs) - call.startUs), 0);
  return { durationUs: run.run.durationUs, calls: run.calls.length, modelUs };
}
