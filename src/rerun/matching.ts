import { isDeepStrictEqual } from 'node:util';
import { REQUEST_FIELDS, type Difference, type RequestField } from './difference.js';
import type { ComparableRequest } from './request.js';

/** Rewrites a field's value, on both sides, before they are compared: a date in the instructions, a generated id. */
export type Normalizer = (value: unknown) => unknown;

export interface MatchOptions {
  /** Fields not compared at all. */
  ignore?: readonly RequestField[];
  /** Per field, a rewrite applied to the recorded and the new value alike (like vcrpy's `match_on`). */
  normalize?: Partial<Record<RequestField, Normalizer>>;
}

/**
 * How a request differs from the recorded one, field by field in a fixed order (agent first: the rest of a
 * request follows from who sends it). A field the recording does not hold is not compared.
 */
export function compareRequests(call: number, recorded: ComparableRequest, now: ComparableRequest, options: MatchOptions = {}): Difference[] {
  const differences: Difference[] = [];
  for (const field of REQUEST_FIELDS) {
    if (options.ignore?.includes(field)) continue;
    if (!(field in recorded) || !(field in now)) continue;
    const normalize = options.normalize?.[field] ?? ((value: unknown) => value);
    const a = normalize(recorded[field]);
    const b = normalize(now[field]);
    if (!isDeepStrictEqual(a, b)) differences.push({ call, agent: now.agent ?? recorded.agent, field, ...narrowed(a, b) });
  }
  return differences;
}

/** Two lists that differ: the first items that do (a person looks for the change, not the whole list). */
function narrowed(a: unknown, b: unknown): { a: unknown; b: unknown } {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return { a, b };
  const i = a.findIndex((item, index) => !isDeepStrictEqual(item, b[index]));
  return i < 0 ? { a, b } : { a: a[i], b: b[i] };
}
