/**
 * Agents used as tools, recorded as child runs: the real SDK runner on scripted models, a real SQLite file. Each
 * run an agent used as a tool makes inside a recorded run is a run of its own, with its events and model calls
 * under its own agents, linked to the parent run and the tool call that started it; the parent's recording
 * keeps only its own.
 */
import { Agent, Runner, tool } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall, modelResponse } from '@openai/agents/testing';
import { join } from 'node:path';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordedRunId, recordingStored } from '../../src/recorder/record.js';
import { RecordingRunner } from '../../src/recorder/recordingRunner.js';
import { openStore } from '../../src/store/openStore.js';
import type { RunStore } from '../../src/store/runStore.js';
import type { RunRecord } from '../../src/store/types.js';
import { childRunApp, recordChildRunApp } from '../support/childRunApp.js';
import { allEvents } from '../support/sqlite.js';
import { callTurn } from '../support/scriptedTurns.js';
import { useSharedTempDir, useTempDir } from '../support/tempDb.js';

const sharedDir = useSharedTempDir();
const tempDir = useTempDir();

describe('a recorded run whose agents use agents as tools', () => {
  let store: RunStore;
  let parent: RunRecord;
  let runs: RunRecord[];
  const child = (callId: string) => runs.find((r) => r.parentCallId === callId)!;

  beforeAll(async () => {
    const db = join(sharedDir(), 'runs.db');
    const parentId = await recordChildRunApp(db);
    store = await openStore(db);
    runs = await store.listRuns();
    parent = runs.find((r) => r.id === parentId)!;
  });

  it('records each inner run as a child run, linked to the parent run and the tool call that started it', () => {
    expect(runs).toHaveLength(5);
    expect(parent.parentRunId).toBeNull();
    const byCall = ['call_hello', 'call_thanks', 'call_research', 'call_locate'].map((callId) => {
      const run = child(callId);
      return { callId, agent: run.startingAgent, input: run.input, name: run.name, status: run.status };
    });
    // The two translations ran side by side: each is linked to its own call, with its own input.
    expect(byCall).toEqual([
      { callId: 'call_hello', agent: 'Translator', input: 'Hello', name: 'translate', status: 'completed' },
      { callId: 'call_thanks', agent: 'Translator', input: 'Thanks', name: 'translate', status: 'completed' },
      { callId: 'call_research', agent: 'Researcher', input: 'Where is Paris?', name: 'research', status: 'completed' },
      { callId: 'call_locate', agent: 'Geographer', input: 'Paris', name: 'locate', status: 'completed' },
    ]);
    expect([child('call_hello'), child('call_thanks'), child('call_research')].map((r) => r.parentRunId)).toEqual([parent.id, parent.id, parent.id]);
    // The Researcher's own agent tool is its child: the parent's grandchild.
    expect(child('call_locate').parentRunId).toBe(child('call_research').id);
    expect(runs.every((r) => r.captured)).toBe(true);
  });

  it("attributes each model call to its own run and agent; the parent's calls are its own", async () => {
    const agentsOfCalls = async (run: RunRecord) => (await store.captures(run.id, 'modelCall')).map((c) => [c.call, c.agent]);
    expect(await agentsOfCalls(parent)).toEqual([
      [1, 'Orchestrator'],
      [2, 'Orchestrator'],
      [3, 'Orchestrator'],
    ]);
    expect(await agentsOfCalls(child('call_hello'))).toEqual([[1, 'Translator']]);
    expect(await agentsOfCalls(child('call_research'))).toEqual([
      [1, 'Researcher'],
      [2, 'Researcher'],
    ]);
    expect(await agentsOfCalls(child('call_locate'))).toEqual([[1, 'Geographer']]);
    const hello = (await store.captures(child('call_hello').id, 'modelCall'))[0]!;
    expect(hello.instructions).toBe('Translate to French.');
    expect(JSON.stringify(hello.input)).toContain('Hello');
  });

  it("records the child's events (a streamed child's raw events too); the parent's events are only its own", async () => {
    const names = async (run: RunRecord) => (await allEvents(store, run.id)).map((e) => `${e.name}@${e.agent}`);
    expect(await names(child('call_hello'))).toEqual(['starting_agent@Translator', 'message_output_created@Translator']);
    const research = await names(child('call_research'));
    expect(research).toContain('response_started@Researcher');
    expect(research).toContain('tool_called@Researcher');
    expect(research.at(-1)).toBe('message_output_created@Researcher');
    const parentEvents = await names(parent);
    expect(parentEvents.every((e) => e.endsWith('@Orchestrator'))).toBe(true);
    expect(parentEvents.filter((e) => e.startsWith('tool_output'))).toHaveLength(3);
    // Each tool call of the parent is captured as before, its output in the parent's tool_output item.
    const toolCalls = await store.captures(parent.id, 'toolCall');
    expect(toolCalls.map((c) => [c.callId, c.tool, c.error])).toEqual(
      expect.arrayContaining([
        ['call_hello', 'translate', null],
        ['call_thanks', 'translate', null],
        ['call_research', 'research', null],
      ]),
    );
  });

  it('starts each child inside its tool call, on the same clock as its parent', async () => {
    const calls = await store.captures(parent.id, 'toolCall');
    for (const callId of ['call_hello', 'call_thanks', 'call_research']) {
      const call = calls.find((c) => c.callId === callId)!;
      const run = child(callId);
      const startUs = (run.startedAt - parent.startedAt) * 1000;
      // Wall clock ms against µs: the child starts no earlier than a millisecond before its call's start.
      expect(startUs).toBeGreaterThanOrEqual(call.startUs - 1000);
      expect(startUs + run.durationUs!).toBeLessThanOrEqual(call.endUs! + 1000);
    }
  });
});

describe('the child-run patch outside a recorded run', () => {
  it("leaves the SDK's Runner alone: a run nobody records records nothing, a child's app sees the same output", async () => {
    const db = join(tempDir(), 'runs.db');
    // A RecordingRunner exists in the process (the patch is installed), but this run is the SDK's own.
    new RecordingRunner({}, { db });
    const { orchestrator, streamedEvents } = childRunApp();
    const result = await new Runner().run(orchestrator, 'Translate hello and thanks, and say where Paris is.', { stream: true });
    for await (const _event of result) void _event;
    expect(result.finalOutput).toBe('Bonjour, merci; Paris is in France.');
    expect(streamedEvents.length).toBeGreaterThan(0);
    const store = await openStore(db);
    expect(await store.listRuns()).toEqual([]);
    await store.close();
  });

  it('records a non-streamed run and its children alike', async () => {
    const db = join(tempDir(), 'runs.db');
    const translator = new Agent({ name: 'Translator', instructions: 'Translate.', model: new ScriptedModel([modelResponse([assistantMessage('Bonjour')])]) });
    const orchestrator = new Agent({
      name: 'Orchestrator',
      model: new ScriptedModel([
        modelResponse([functionCall('translate', { input: 'Hello' }, { callId: 'call_1' })]),
        modelResponse([assistantMessage('It is Bonjour.')]),
      ]),
      tools: [translator.asTool({ toolName: 'translate', toolDescription: 'Translate' })],
    });
    const result = await new RecordingRunner({}, { db }).run(orchestrator, 'Translate hello.');
    await recordingStored(result);
    const store = await openStore(db);
    const children = await store.listRuns({ parentRunId: recordedRunId(result)! });
    expect(children.map((r) => [r.startingAgent, r.parentCallId, r.finalOutput])).toEqual([['Translator', 'call_1', 'Bonjour']]);
    await store.close();
  });
});

describe("a tool's error when the tool has no errorFunction", () => {
  it('is in the toolCall record, though the SDK calls no hook for it', async () => {
    const db = join(tempDir(), 'runs.db');
    const charge = tool({
      name: 'charge_card',
      description: 'Charge the card',
      parameters: z.object({ amount: z.number() }),
      errorFunction: null,
      execute: async () => {
        throw new RangeError('card declined: limit reached');
      },
    });
    const agent = new Agent({ name: 'Billing', model: new ScriptedModel([callTurn('charge_card', { amount: 12 }, 'call_charge')]), tools: [charge] });
    const result = await new RecordingRunner({}, { db }).run(agent, 'Charge 12.', { stream: true });
    await expect(async () => {
      for await (const _event of result) void _event;
    }).rejects.toThrow(/card declined/);
    await recordingStored(result);
    const store = await openStore(db);
    const [call] = await store.captures(recordedRunId(result)!, 'toolCall');
    expect(call).toMatchObject({ callId: 'call_charge', tool: 'charge_card', error: { name: 'RangeError', message: 'card declined: limit reached' } });
    expect(call!.endUs).not.toBeNull();
    await store.close();
  });
});
