import type { HandoffCaptureRecord, ModelCallRecord } from '../capture/types.js';
import type { AgentRecord, RunRecord, SeqRange } from '../store/types.js';

/** A raw model event as the model produced it (the `data` of a `raw_model_stream_event`). */
export interface RecordedModelEvent {
  seq: number;
  tUs: number;
  data: { type: string; [key: string]: unknown };
}

/** A run item event (`run_item_stream_event`): its name and the item's JSON form. */
export interface RecordedItem {
  seq: number;
  name: string;
  item: { type: string; rawItem?: Record<string, unknown>; [key: string]: unknown };
}

/** One model call of a recorded run: its request when it was captured, and the events it produced. */
export interface RecordedCall {
  call: number;
  agent: string;
  /** When the call was made, on the run's clock (µs). */
  startUs: number;
  firstSeq: number | null;
  lastSeq: number | null;
  events: RecordedModelEvent[];
  /** Whether its `response_done` is there: a call that failed mid-stream has none. */
  complete: boolean;
  /** Events the recording lost where this call's may have been (`RunRecord.gaps`): it cannot be served. */
  lost: SeqRange | null;
  /** The items that came of it (tool calls and outputs, handoffs, messages), up to the next call. */
  items: RecordedItem[];
  /** The request as sent, for a run whose model calls were captured (a RecordingRunner's). */
  request: ModelCallRecord | null;
}

/** What a recorded run holds for re-running and comparing it. */
export interface RecordedRun {
  run: RunRecord;
  agents: AgentRecord[];
  calls: RecordedCall[];
  /** The agents in the order they took over: the starting agent, then each handoff's target. */
  path: string[];
  /** Items that belong to no call. */
  looseItems: RecordedItem[];
  /** What capture saw of each handoff (its input filter's before and after), for a run whose calls were captured. */
  handoffs: readonly HandoffCaptureRecord[];
}
