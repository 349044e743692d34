import type { ErrorRecord } from '../events/serialize.js';

export const RUN_STATUSES = ['running', 'completed', 'error', 'cancelled', 'interrupted', 'incomplete'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunRecord {
  id: string;
  name: string | null;
  /** `incomplete` when the recording process died before it could say how the run ended. */
  status: RunStatus;
  startedAt: number;
  durationUs: number | null;
  startingAgent: string | null;
  lastAgent: string | null;
  input: unknown;
  finalOutput: unknown;
  error: ErrorRecord | null;
  usage: unknown;
  sdkVersion: string | null;
  tags: string[];
  metadata: Record<string, unknown>;
  eventCount: number;
  /** `partial` when the store failed during the run and later events were not written. */
  recording: 'complete' | 'partial';
  recordingError: string | null;
  /** Events lost while the recorder's writer was stuck or dead, as inclusive seq ranges. */
  gaps: SeqRange[];
  /** For a cancelled run: the application's abort signal, or the consumer stopped reading (break, cancel). */
  cancelledBy: 'signal' | 'consumer' | null;
  /** An interrupted run's serialized `RunState` (`state.toString()`), from which it can be resumed. */
  runState: string | null;
  /** The id of the interrupted run this run resumed. */
  resumedFrom: string | null;
  /** For a child run (an agent used as a tool): the run whose tool call started it, and that call's id. */
  parentRunId: string | null;
  parentCallId: string | null;
  /**
   * Whether what each agent saw (its model calls) was captured: a RecordingRunner's run. False for a run
   * `record(result)` wrapped after it had started, and for runs an older runtape recorded.
   */
  captured: boolean;
  host: string | null;
  pid: number | null;
  /** Stored columns that did not hold what runtape writes (read as empty values instead), e.g. `tags`. */
  unreadable?: string[];
}

export interface SeqRange {
  fromSeq: number;
  toSeq: number;
}

export type { StoredEvent } from '../events/storedEvent.js';

export interface ToolRecord {
  name: string;
  type: string;
  description?: string;
  parameters?: unknown;
}

export interface HandoffRecord {
  agent: string;
  toolName?: string;
  toolDescription?: string;
}

export interface AgentRecord {
  name: string;
  instructions: string | null;
  model: string | null;
  handoffDescription: string | null;
  tools: ToolRecord[];
  handoffs: HandoffRecord[];
  /** Stored columns that did not hold what runtape writes (read as empty lists instead). */
  unreadable?: string[];
}

export interface NewRun {
  id: string;
  name: string | null;
  startedAt: number;
  startingAgent: string | null;
  input: unknown;
  sdkVersion: string | null;
  tags: string[];
  metadata: Record<string, unknown>;
  agents: AgentRecord[];
  /** The id of the interrupted run this run resumes, when known. */
  resumedFrom?: string | null;
  /** For a child run: the run and the tool call that started it. */
  parentRunId?: string | null;
  parentCallId?: string | null;
  /** Whether capture modules record what each agent saw (a RecordingRunner's run); default false. */
  captured?: boolean;
}

export interface RunEnd {
  status: Exclude<RunStatus, 'running' | 'incomplete'>;
  durationUs: number;
  lastAgent: string | null;
  finalOutput: unknown;
  error: ErrorRecord | null;
  usage: unknown;
  /** For a cancelled run: the application's abort signal, or the consumer stopped reading (break, cancel). */
  cancelledBy?: 'signal' | 'consumer' | null;
  /** An interrupted run's serialized `RunState`. */
  runState?: string | null;
}

export interface RunFilter {
  status?: RunStatus;
  /** Runs in which this agent took part (the graph at start). */
  agent?: string;
  /** Substring of the run name. */
  name?: string;
  /** Runs started at or after this epoch ms. */
  since?: number;
  tag?: string;
  /** The child runs of this run (agents used as tools in its tool calls). */
  parentRunId?: string;
  limit?: number;
}
