/**
 * Readers of stored payloads: the few fields that summaries, text assembly and handoff tracking need,
 * from the JSON of `RunStreamEvent`s (see shared/sdk-notes.md for their shapes).
 */
import type { StoredEvent } from './storedEvent.js';

export interface ParsedPayload {
  type?: string;
  name?: string;
  data?: { type?: string; delta?: string; event?: { type?: string }; response?: { id?: string; output?: unknown[]; usage?: unknown } };
  item?: {
    type?: string;
    rawItem?: RawItem;
    agent?: { name?: string };
    sourceAgent?: { name?: string };
    targetAgent?: { name?: string };
    output?: unknown;
    toolName?: string;
  };
  agent?: { name?: string };
}

export interface RawItem {
  type?: string;
  role?: string;
  name?: string;
  callId?: string;
  arguments?: string;
  output?: unknown;
  content?: { type?: string; text?: string; refusal?: string }[];
  rawContent?: { type?: string; text?: string; refusal?: string }[];
}

export function parsePayload(event: StoredEvent): ParsedPayload {
  try {
    return JSON.parse(event.payload) as ParsedPayload;
  } catch {
    return {};
  }
}

/** The text of an `output_text_delta` raw event, without parsing other events' payloads. */
export function textDeltaOf(event: StoredEvent): string | undefined {
  if (event.level !== 'raw' || event.name !== 'output_text_delta') return undefined;
  const delta = parsePayload(event).data?.delta;
  return typeof delta === 'string' ? delta : undefined;
}

/** The words of a message or reasoning item (output text, refusals, reasoning summaries). */
export function textOfRawItem(raw: RawItem | undefined): string {
  if (!raw) return '';
  // A reasoning item's content is its summary; rawContent, the full reasoning, stands in when there is none.
  const parts = raw.content?.length ? raw.content : (raw.rawContent ?? []);
  return parts
    .map((p) => p.text ?? p.refusal ?? '')
    .filter(Boolean)
    .join('\n');
}

export function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output && typeof output === 'object' && 'text' in output && typeof output.text === 'string') return output.text;
  return JSON.stringify(output) ?? '';
}
