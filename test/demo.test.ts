import { Agent, Handoff, Runner, type RunStreamEvent } from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import { describe, expect, it } from 'vitest';
import { createIdSource } from '../src/demo/ids.js';
import { createDemoRun, demoScenarios, DemoModel, type DemoRun } from '../src/demo/index.js';
import { createPacer } from '../src/demo/pacing.js';
import { seededRandom } from '../src/demo/random.js';
import { scriptedTurn } from '../src/demo/turn.js';

/** One stream event as a recorder would see it: what, from which agent, when it arrived. */
interface Seen {
  event: RunStreamEvent;
  agent: string;
  at: number;
}

async function collect(startingAgent: Agent<any, any>, input: string) {
  const result = await new Runner().run(startingAgent, input, { stream: true });
  const seen: Seen[] = [];
  let agent = startingAgent.name;
  for await (const event of result) {
    if (event.type === 'agent_updated_stream_event') agent = event.agent.name;
    seen.push({ event, agent, at: performance.now() });
  }
  await result.completed;
  return { seen, finalOutput: result.finalOutput as string };
}

const itemsNamed = (seen: Seen[], name: string) =>
  seen.flatMap(({ event }) => (event.type === 'run_item_stream_event' && event.name === name ? [event.item] : []));

const handoffPath = (seen: Seen[]) =>
  seen.flatMap(({ event }) => (event.type === 'agent_updated_stream_event' ? [event.agent.name] : []));

/** Text deltas grouped by model turn (a turn starts at response_started). */
function deltasPerTurn(seen: Seen[]): string[] {
  const turns: string[] = [];
  for (const { event } of seen) {
    if (event.type !== 'raw_model_stream_event') continue;
    if (event.data.type === 'response_started') turns.push('');
    if (event.data.type === 'output_text_delta') turns[turns.length - 1] += event.data.delta;
  }
  return turns;
}

/** Every scripted model reachable from the starting agent, so tests can check all turns were used. */
function modelsOf(start: Agent<any, any>): ScriptedModel[] {
  const agents = new Set<Agent<any, any>>();
  const visit = (agent: Agent<any, any>) => {
    if (agents.has(agent)) return;
    agents.add(agent);
    for (const h of agent.handoffs) visit(h instanceof Handoff ? h.agent : h);
  };
  visit(start);
  return [...agents].map((a) => a.model as ScriptedModel);
}

const expected: Record<string, { path: string[]; tools: string[] }> = {
  'duplicate-charge-and-outage': {
    path: ['Billing Agent', 'Triage Agent', 'Technical Support Agent'],
    tools: ['find_duplicate_charges', 'issue_refund', 'check_service_status'],
  },
  'annual-plan-quote': {
    path: ['Billing Agent'],
    tools: ['quote_plan', 'quote_plan', 'quote_plan'],
  },
  'latency-regression': {
    path: ['Technical Support Agent'],
    tools: ['compute_latency_stats', 'check_service_status'],
  },
};

describe('demo scenarios at pace 0', () => {
  it('lists every scripted scenario', () => {
    expect(demoScenarios.map((s) => s.name)).toEqual(Object.keys(expected));
  });

  it.each(demoScenarios.map((s) => s.name))('%s follows its agent path and streams its answer', async (name) => {
    const run: DemoRun = createDemoRun(name, { pace: 0 });
    expect(run.startingAgent.name).toBe('Triage Agent');
    const { seen, finalOutput } = await collect(run.startingAgent, run.input);

    expect(handoffPath(seen)).toEqual(expected[name]!.path);
    expect(itemsNamed(seen, 'handoff_occurred')).toHaveLength(expected[name]!.path.length);
    for (const item of itemsNamed(seen, 'handoff_requested')) {
      const args = JSON.parse((item.rawItem as { arguments: string }).arguments) as { reason?: string };
      expect(args.reason).toMatch(/\w+ \w+/);
    }

    const called = itemsNamed(seen, 'tool_called').map((i) => i.rawItem as { name: string; callId: string });
    const outputs = itemsNamed(seen, 'tool_output').map((i) => i.rawItem as { callId: string });
    expect(called.map((c) => c.name)).toEqual(expected[name]!.tools);
    expect(outputs.map((o) => o.callId).sort()).toEqual(called.map((c) => c.callId).sort());

    expect(itemsNamed(seen, 'reasoning_item_created').length).toBeGreaterThan(0);

    // Every streamed message matches its final item, and the last one is the run's output.
    const streamed = deltasPerTurn(seen).filter((text) => text.length > 0);
    const messages = itemsNamed(seen, 'message_output_created').map(
      (i) => (i.rawItem as { content: { text: string }[] }).content[0]!.text,
    );
    expect(streamed).toEqual(messages);
    expect(streamed.at(-1)).toBe(finalOutput);

    for (const model of modelsOf(run.startingAgent)) model.assertComplete();
  });

  it('hands off at least twice, including back to an earlier agent, in the main scenario', async () => {
    const run = createDemoRun('duplicate-charge-and-outage', { pace: 0 });
    const { seen } = await collect(run.startingAgent, run.input);
    const visited = [run.startingAgent.name, ...handoffPath(seen)];
    expect(visited.length - 1).toBeGreaterThanOrEqual(2);
    const backHandoff = visited.some((agent, i) => i > 0 && visited.slice(0, i - 1).includes(agent));
    expect(backHandoff).toBe(true);
  });

  it('is deterministic for a seed and varies with it', async () => {
    const itemsOf = async (seed: number) => {
      const run = createDemoRun('annual-plan-quote', { pace: 0, seed });
      const { seen } = await collect(run.startingAgent, run.input);
      return JSON.stringify(seen.map(({ event }) => (event.type === 'run_item_stream_event' ? event.item : null)));
    };
    const first = await itemsOf(7);
    expect(await itemsOf(7)).toBe(first);
    expect(await itemsOf(8)).not.toBe(first);
  });

  it('names the model each agent stands in for', () => {
    const run = createDemoRun('latency-regression', { pace: 0 });
    expect(run.startingAgent.model).toBeInstanceOf(DemoModel);
    expect((run.startingAgent.model as DemoModel).name).toMatch(/^scripted:/);
  });

  it('rejects unknown scenarios and invalid pace', () => {
    expect(() => createDemoRun('nope')).toThrow(/Unknown demo scenario "nope"/);
    expect(() => createDemoRun('latency-regression', { pace: -1 })).toThrow(RangeError);
  });
});

describe('demo timing at pace 1', () => {
  it('delays the first token and spaces later deltas by tens of ms', async () => {
    const model = new DemoModel('scripted:gpt-4.1-mini');
    const context = { pacer: createPacer(1, seededRandom(42)), ids: createIdSource(seededRandom(42)) };
    model.enqueue(scriptedTurn({ text: 'Sure, the deploy finished and every check passed' }, context));
    const agent = new Agent({ name: 'Timing Agent', instructions: 'Answer briefly.', model });

    const { seen } = await collect(agent, 'Did the deploy work?');
    const timeOf = (type: string) =>
      seen.filter(({ event }) => event.type === 'raw_model_stream_event' && event.data.type === type).map((s) => s.at);
    const [started] = timeOf('response_started');
    const deltas = timeOf('output_text_delta');
    expect(deltas.length).toBeGreaterThan(5);

    // Scripted at ~320 ms (±25%) for the first token and ~35 ms (±60%) between the rest.
    const firstGap = deltas[0]! - started!;
    const gaps = deltas.slice(1).map((t, i) => t - deltas[i]!);
    const medianGap = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
    expect(firstGap).toBeGreaterThanOrEqual(100);
    expect(medianGap).toBeGreaterThanOrEqual(10);
    expect(medianGap).toBeLessThan(firstGap / 2);
  });
});
