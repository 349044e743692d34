import type { EventLevel } from '../../events/levels.js';
import { isAnything, isHandoffs, isMetadata, isTags, isTools } from '../recordShapes.js';
import { RowReader } from '../rowReader.js';
import type { AgentRecord, RunRecord, RunStatus, StoredEvent } from '../types.js';

/** Column shapes as SQLite returns them, and their mapping to the records the rest of runtape uses. */
export interface RunRow {
  pk: number;
  id: string;
  name: string | null;
  status: string;
  started_at: number;
  duration_us: number | null;
  starting_agent: string | null;
  last_agent: string | null;
  input: string | null;
  final_output: string | null;
  error_name: string | null;
  error_message: string | null;
  error_stack: string | null;
  usage: string | null;
  sdk_version: string | null;
  tags: string;
  metadata: string;
  event_count: number;
  recording: string;
  recording_error: string | null;
  gaps: string;
  cancelled_by: string | null;
  error_details: string | null;
  run_state: string | null;
  resumed_from: string | null;
  parent_run_id: string | null;
  parent_call_id: string | null;
  captured: number;
  host: string | null;
  pid: number | null;
  heartbeat_at: number | null;
}

export interface EventRow {
  seq: number;
  t_us: number;
  level: string;
  name: string;
  agent: string | null;
  payload: string;
}

export interface AgentRow {
  name: string;
  instructions: string | null;
  model: string | null;
  handoff_description: string | null;
  tools: string;
  handoffs: string;
}

export function runFromRow(row: RunRow, status: RunStatus): RunRecord {
  const read = new RowReader();
  return {
    id: row.id,
    name: row.name,
    status,
    startedAt: row.started_at,
    durationUs: row.duration_us,
    startingAgent: row.starting_agent,
    lastAgent: row.last_agent,
    input: read.json('input', row.input, isAnything, null),
    finalOutput: read.json('final_output', row.final_output, isAnything, null),
    error:
      row.error_name === null && row.error_message === null
        ? null
        : {
            name: row.error_name ?? 'Error',
            message: row.error_message ?? '',
            ...(row.error_stack ? { stack: row.error_stack } : {}),
            ...(read.json('error_details', row.error_details, isMetadata, null) ?? {}),
          },
    usage: read.json('usage', row.usage, isAnything, null),
    sdkVersion: row.sdk_version,
    tags: read.json('tags', row.tags, isTags, []),
    metadata: read.json('metadata', row.metadata, isMetadata, {}),
    eventCount: row.event_count,
    recording: row.recording === 'partial' ? 'partial' : 'complete',
    recordingError: row.recording_error,
    gaps: JSON.parse(row.gaps) as RunRecord['gaps'],
    cancelledBy: row.cancelled_by === 'signal' || row.cancelled_by === 'consumer' ? row.cancelled_by : null,
    runState: row.run_state,
    resumedFrom: row.resumed_from,
    parentRunId: row.parent_run_id,
    parentCallId: row.parent_call_id,
    captured: row.captured === 1,
    host: row.host,
    pid: row.pid,
    ...read.mark(),
  };
}

export function eventFromRow(row: EventRow): StoredEvent {
  return { seq: row.seq, tUs: row.t_us, level: row.level as EventLevel, name: row.name, agent: row.agent, payload: row.payload };
}

export function agentFromRow(row: AgentRow): AgentRecord {
  const read = new RowReader();
  return {
    name: row.name,
    instructions: row.instructions,
    model: row.model,
    handoffDescription: row.handoff_description,
    tools: read.json('tools', row.tools, isTools, []),
    handoffs: read.json('handoffs', row.handoffs, isHandoffs, []),
    ...read.mark(),
  };
}
