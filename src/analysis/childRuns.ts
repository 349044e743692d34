import type { ToolCallCaptureRecord } from '../capture/types.js';
import type { RunStore } from '../store/runStore.js';
import type { RunRecord, RunStatus } from '../store/types.js';
import { capturesIfReadable } from '../store/unreadableCaptures.js';

/** A child run (an agent used as a tool) as its parent shows it: under the tool call that started it. */
export interface ChildRunLink {
  runId: string;
  /** The parent's tool call that started it: its id, the tool, the arguments it was called with. */
  callId: string | null;
  tool: string | null;
  arguments: string | null;
  /** When the tool call started on the parent's clock (µs), when captured. */
  callStartUs: number | null;
  /** When the child run started, from the parent's start (µs; wall clocks of one process). */
  startUs: number;
  startingAgent: string | null;
  lastAgent: string | null;
  status: RunStatus;
  durationUs: number | null;
}

/**
 * The child runs of a run, in the order they started, each with its tool call: from the run's `toolCall`
 * captures, given when the caller has read them already, else read when there are children.
 */
export async function childRunsOf(store: RunStore, run: RunRecord, toolCalls?: readonly ToolCallCaptureRecord[]): Promise<ChildRunLink[]> {
  const children = await store.listRuns({ parentRunId: run.id });
  if (children.length === 0) return [];
  const calls = toolCalls ?? (await capturesIfReadable(() => store.captures(run.id, 'toolCall'))) ?? [];
  return children.reverse().map((child) => childRunLink(run, child, calls));
}

/** One child run under its tool call (the parent's `toolCall` capture with the same call id, when there is one). */
export function childRunLink(parent: Pick<RunRecord, 'startedAt'>, child: RunRecord, calls: readonly ToolCallCaptureRecord[]): ChildRunLink {
  const call = child.parentCallId === null ? undefined : calls.find((c) => c.callId === child.parentCallId);
  return {
    runId: child.id,
    callId: child.parentCallId,
    tool: call?.tool ?? null,
    arguments: call?.arguments ?? null,
    callStartUs: call?.startUs ?? null,
    startUs: Math.max(0, Math.round((child.startedAt - parent.startedAt) * 1000)),
    startingAgent: child.startingAgent,
    lastAgent: child.lastAgent,
    status: child.status,
    durationUs: child.durationUs,
  };
}
