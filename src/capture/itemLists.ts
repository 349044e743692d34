import type { CaptureKind } from './types.js';

/**
 * Where a capture record holds conversation items: the lists the store keeps once per distinct item (a
 * request repeats the whole conversation so far, call after call). A list is replaced by another of the same
 * length (item ids when stored, the items when read back); anything that is not a list (an input string, a
 * handoff without a filter's `after`) is left as it is.
 */
const ITEM_LIST_PATHS: { readonly [K in CaptureKind]: readonly (readonly string[])[] } = {
  modelCall: [['input']],
  handoff: [
    ['before', 'inputHistory'],
    ['before', 'preHandoffItems'],
    ['before', 'newItems'],
    ['after', 'inputHistory'],
    ['after', 'preHandoffItems'],
    ['after', 'newItems'],
  ],
  toolCall: [],
  guardrail: [],
  span: [],
};

/** A copy of `record` whose item lists went through `map` (the record itself is left untouched). */
export function mapItemLists(kind: CaptureKind, record: unknown, map: (items: unknown[]) => unknown[]): unknown {
  let result = record;
  for (const path of ITEM_LIST_PATHS[kind]) result = mapAt(result, path, map);
  return result;
}

function mapAt(value: unknown, path: readonly string[], map: (items: unknown[]) => unknown[]): unknown {
  if (path.length === 0) return Array.isArray(value) ? map(value) : value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const [key, ...rest] = path as [string, ...string[]];
  if (!(key in value)) return value;
  const inner = (value as Record<string, unknown>)[key];
  const mapped = mapAt(inner, rest, map);
  return mapped === inner ? value : { ...value, [key]: mapped };
}
