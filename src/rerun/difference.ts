/**
 * One difference between two runs, or between a recording and a re-run of it: in which model call (numbered
 * from 1, as `runtape calls` does; null for what belongs to the run as a whole), which agent, which field, and
 * the two values. For a re-run `a` is the recording and `b` is now.
 */
export interface Difference {
  call: number | null;
  agent: string | null;
  field: DifferenceField;
  a: unknown;
  b: unknown;
}

/** What a request is compared on, call by call. */
export const REQUEST_FIELDS = ['agent', 'instructions', 'input', 'tools', 'model'] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

/** What else two runs are compared on: per call, what came of it; per run, where it went and how it ended. */
export type DifferenceField = RequestField | 'calls' | 'toolCalls' | 'toolOutputs' | 'path' | 'handoffs' | 'finalOutput' | 'status';

const FIELD_WORDS: Record<DifferenceField, string> = {
  agent: 'agent differs',
  instructions: 'instructions differ',
  input: 'input differs',
  tools: 'tools differ',
  model: 'model differs',
  calls: 'number of model calls differs',
  toolCalls: 'tool calls differ',
  toolOutputs: 'tool outputs differ',
  path: "agents' path differs",
  handoffs: 'handoffs differ',
  finalOutput: 'final output differs',
  status: 'status differs',
};

const QUOTE_MAX = 160;

/** A value as a person reads it in one line: strings quoted, anything else as JSON, long ones shortened. */
export function quoteValue(value: unknown): string {
  const text = value === undefined ? 'nothing' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX - 1)}…` : text;
}

/** `call 2 (agent Orders): instructions differ: recorded "..." now "..."` (or `A ... B ...` between two runs). */
export function describeDifference(difference: Difference, labels: { a: string; b: string } = { a: 'recorded', b: 'now' }): string {
  const where = [difference.call !== null ? `call ${difference.call}` : 'run', difference.agent !== null ? `(agent ${difference.agent})` : '']
    .filter(Boolean)
    .join(' ');
  return `${where}: ${FIELD_WORDS[difference.field]}: ${labels.a} ${quoteValue(difference.a)} ${labels.b} ${quoteValue(difference.b)}`;
}
