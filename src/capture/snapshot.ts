import { toJsonText } from '../events/serialize.js';

/**
 * A value as JSON at this moment (RunItems through their `toJSON()`), detached from the live objects: what
 * the application changes afterwards (a filter editing an item in place, a later turn) cannot reach it.
 */
export function snapshot<T = unknown>(value: unknown): T {
  return JSON.parse(toJsonText(value)) as T;
}
