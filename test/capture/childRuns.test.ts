import { Agent, tool } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall, modelResponse } from '@openai/agents/testing';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { recordedRunId, recordingStored } from '../../src/recorder/record.js';
import { RecordingRunner } from '../../src/recorder/recordingRunner.js';
import { openStore } from '../../src/store/openStore.js';
import { allEvents } from '../support/sqlite.js';
import { callTurn, textTurn } from '../support/scriptedTurns.js';
import { useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();

/** An orchestrator that asks a translator agent, used as a tool, twice in one turn, then answers. */
function orchestrator(options: { streamChild?: boolean; stream?: boolean } = {}) {
  const translator = new Agent({
    name: 'Translator',
    instructions: 'Translate to French.',
    model: new ScriptedModel([modelResponse([assistantMessage('Bonjour')]), modelResponse([assistantMessage('Merci')])]),
  });
  const translate = translator.asTool({ toolName: 'translate', toolDescription: 'Translate to French' });
  if (options.streamChild) translate.on('*', () => {});
  return new Agent({
    name: 'Orchestrator',
    instructions: 'Use the translator.',
    model: new ScriptedModel(
      options.stream === false
        ? [modelResponse([functionCall('translate', { input: 'Hello' }, { callId: 'call_hello' })]), modelResponse([assistantMessage('It is Bonjour.')])]
        : [callTurn('translate', { input: 'Hello' }, 'call_hello'), textTurn('It is Bonjour.')],
    ),
    tools: [translate],
  });
}

describe('an agent used as a tool', () => {
  for (const stream of [true, false]) {
    it(`is recorded as a child run of the parent's tool call (${stream ? 'streamed' : 'non-streamed'} parent)`, async () => {
      const db = join(tempDir(), 'runs.db');
      const runner = new RecordingRunner({}, { db, name: 'parent' });
      const agent = orchestrator({ stream });
      const result = stream ? await runner.run(agent, 'Translate hello.', { stream: true }) : await runner.run(agent, 'Translate hello.');
      if ('completed' in result) {
        for await (const _ of result) void _;
      }
      await recordingStored(result);
      const store = await openStore(db);
      const runs = await store.listRuns();
      console.log(runs.map((r) => [r.id.slice(0, 8), r.name, r.startingAgent, r.status, r.parentRunId?.slice(0, 8), r.parentCallId]));
      const parentId = recordedRunId(result)!;
      const child = runs.find((r) => r.parentRunId === parentId)!;
      expect(child).toBeDefined();
      console.log((await store.captures(parentId, 'modelCall')).map((c) => c.agent));
      console.log((await store.captures(child.id, 'modelCall')).map((c) => c.agent));
      console.log((await allEvents(store, child.id)).map((e) => e.name));
      await store.close();
    });
  }
});
