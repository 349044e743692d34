/**
 * A stored row's JSON columns are checked without zod (recordShapes.ts: `runtape ls` need not load it), an
 * import's with zod (recordSchemas.ts): both must accept exactly the same values.
 */
import { describe, expect, it } from 'vitest';
import { handoffsSchema, metadataSchema, tagsSchema, toolsSchema } from '../src/store/recordSchemas.js';
import { isHandoffs, isMetadata, isTags, isTools, type Check } from '../src/store/recordShapes.js';

const tool = { name: 'lookup', type: 'function', description: 'Looks up an order.', parameters: { type: 'object' } };
const handoff = { agent: 'Billing', toolName: 'transfer_to_billing', toolDescription: 'Hand off to billing.' };
const values: unknown[] = [
  null, 0, 1.5, '', 'x', true, [], {}, [[]], [{}], ['a'], ['a', 'b'], ['a', 1], ['a', null], [null],
  { a: 1 }, { a: { b: [1, 'c'] } }, { tags: ['x'] }, [{ a: 1 }],
  [tool], [tool, tool], [{ name: 'lookup', type: 'function' }], [{ ...tool, extra: [1] }], [{ name: 'lookup' }], [{ type: 'function' }],
  [{ ...tool, name: 3 }], [{ ...tool, type: null }], [{ ...tool, description: 7 }], [{ ...tool, description: null }], [{ ...tool, parameters: null }], [tool, 'x'], tool,
  [handoff], [{ agent: 'Billing' }], [{ ...handoff, extra: true }], [{ ...handoff, agent: 1 }], [{ ...handoff, toolName: 2 }], [{ ...handoff, toolDescription: null }],
  [{ toolName: 'x' }], [handoff, null], handoff,
];

const pairs: [string, Check<unknown>, { safeParse(value: unknown): { success: boolean } }][] = [
  ['tags', isTags, tagsSchema],
  ['metadata', isMetadata, metadataSchema],
  ['tools', isTools, toolsSchema],
  ['handoffs', isHandoffs, handoffsSchema],
];

describe('the shapes of a run record', () => {
  it.for(pairs)('%s: a stored row and an import accept the same values', ([, check, schema]) => {
    const accepted = values.map((value) => check(value));
    expect(accepted).toEqual(values.map((value) => schema.safeParse(value).success));
    // The corpus tells the two apart wherever they could differ: each shape accepts some values and refuses others.
    expect(accepted).toContain(true);
    expect(accepted).toContain(false);
  });
});
