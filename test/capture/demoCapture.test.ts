import { Runner } from '@openai/agents';
import { describe, expect, it } from 'vitest';
import { describeFilterEffect, filterEffect } from '../../src/analysis/handoffFilterEffect.js';
import { withCapture } from '../../src/capture/captureContext.js';
import { prepareRunCapture } from '../../src/capture/runCapture.js';
import { createDemoRun } from '../../src/demo/index.js';
import { CollectingSink } from '../support/collectingSink.js';

describe("the demo's handoff filter", () => {
  it('hands technical support the conversation without the billing agent\'s tool calls, outputs and reasoning', async () => {
    const demo = createDemoRun('duplicate-charge-and-outage', { pace: 0 });
    const runner = new Runner();
    prepareRunCapture(runner, demo.startingAgent);
    const sink = new CollectingSink();
    await withCapture(sink, async () => {
      const result = await runner.run(demo.startingAgent, demo.input, { stream: true });
      for await (const _ of result);
      await result.completed;
    });

    // Three handoffs; only the one to technical support has a filter.
    expect(sink.records.handoff.map((h) => [h.from, h.to, h.filter?.name])).toEqual([['Triage Agent', 'Technical Support Agent', 'dropOtherAgentsWork']]);
    const effect = filterEffect(sink.records.handoff[0]!)!;
    const removedTypes = effect.removed.map((item) => item.type);
    expect(removedTypes).toContain('function_call');
    expect(removedTypes).toContain('function_call_result');
    expect(removedTypes.every((type) => ['function_call', 'function_call_result', 'reasoning'].includes(type!))).toBe(true);
    expect(JSON.stringify(sink.records.handoff[0]!.after)).toContain('acct_4821');
    const line = describeFilterEffect(effect);
    expect(line).toMatch(new RegExp(`^filter dropOtherAgentsWork removed ${effect.removed.length} of ${effect.total} items: `));
    expect(line).toContain('call find_duplicate_charges');
    expect(line).toContain('output of issue_refund');
  });
});
