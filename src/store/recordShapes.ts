/**
 * The shapes of the JSON a run's stored record holds (tags, metadata, its agents' tools and handoffs), checked
 * when a row is read back (it may hold what runtape never wrote). Plain checks rather than zod schemas: reading a
 * row is what `runtape ls` does, and zod alone costs a command some 0.2 s of start-up. An import checks the same
 * shapes with zod (recordSchemas.ts: its messages name the path of what is wrong); a test keeps the two agreeing.
 */
import type { AgentRecord, RunRecord } from './types.js';

export type Check<T> = (value: unknown) => value is T;

const isString = (value: unknown): value is string => typeof value === 'string';
const isOptional = <T>(check: Check<T>) => (value: unknown): value is T | undefined => value === undefined || check(value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isArrayOf = <T>(check: Check<T>) => (value: unknown): value is T[] => Array.isArray(value) && value.every(check);

export const isAnything = (_value: unknown): _value is unknown => true;
export const isTags: Check<RunRecord['tags']> = isArrayOf(isString);
export const isMetadata: Check<Record<string, unknown>> = isObject;
export const isTool = (value: unknown): value is AgentRecord['tools'][number] =>
  isObject(value) && isString(value.name) && isString(value.type) && isOptional(isString)(value.description);
export const isHandoff = (value: unknown): value is AgentRecord['handoffs'][number] =>
  isObject(value) && isString(value.agent) && isOptional(isString)(value.toolName) && isOptional(isString)(value.toolDescription);
export const isTools: Check<AgentRecord['tools']> = isArrayOf(isTool);
export const isHandoffs: Check<AgentRecord['handoffs']> = isArrayOf(isHandoff);
