import { Agent } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall, modelResponse } from '@openai/agents/testing';
import { recordedRunId, recordingStored } from '../../src/recorder/record.js';
import { RecordingRunner } from '../../src/recorder/recordingRunner.js';
import { openStore } from '../../src/store/openStore.js';
import type { RunRecord } from '../../src/store/types.js';
import { callTurn, streamedTurn, textTurn } from './scriptedTurns.js';

/**
 * An orchestrator that uses agents as tools: in its first turn it asks a Translator twice at once (two tool
 * calls in one response, run side by side), then a Researcher, which streams (its tool has an event handler)
 * and itself asks a Geographer used as a tool. So a recorded run gets three child runs and one grandchild.
 */
export function childRunApp(): { orchestrator: Agent; streamedEvents: string[] } {
  const streamedEvents: string[] = [];
  const translator = new Agent({
    name: 'Translator',
    instructions: 'Translate to French.',
    model: new ScriptedModel([modelResponse([assistantMessage('Bonjour')]), modelResponse([assistantMessage('Merci')])]),
  });
  const geographer = new Agent({
    name: 'Geographer',
    instructions: 'Say which country a city is in.',
    model: new ScriptedModel([modelResponse([assistantMessage('France')])]),
  });
  const researcher = new Agent({
    name: 'Researcher',
    instructions: 'Research with the geographer.',
    model: new ScriptedModel([callTurn('locate', { input: 'Paris' }, 'call_locate'), textTurn('Paris is in France.')]),
    tools: [geographer.asTool({ toolName: 'locate', toolDescription: 'Which country a city is in' })],
  });
  const research = researcher.asTool({ toolName: 'research', toolDescription: 'Research a question' });
  research.on('*', ({ event }) => void streamedEvents.push(event.type));
  const orchestrator = new Agent({
    name: 'Orchestrator',
    instructions: 'Use the translator and the researcher.',
    model: new ScriptedModel([
      streamedTurn([
        functionCall('translate', { input: 'Hello' }, { callId: 'call_hello' }),
        functionCall('translate', { input: 'Thanks' }, { callId: 'call_thanks' }),
      ]),
      callTurn('research', { input: 'Where is Paris?' }, 'call_research'),
      textTurn('Bonjour, merci; Paris is in France.'),
    ]),
    tools: [translator.asTool({ toolName: 'translate', toolDescription: 'Translate to French' }), research],
  });
  return { orchestrator, streamedEvents };
}

/** Records one run of the app into `db`, streamed and read to its end; its run id. */
export async function recordChildRunApp(db: string): Promise<string> {
  const runner = new RecordingRunner({}, { db, name: 'orchestrated' });
  const result = await runner.run(childRunApp().orchestrator, 'Translate hello and thanks, and say where Paris is.', { stream: true });
  for await (const _event of result) void _event;
  await recordingStored(result);
  return recordedRunId(result)!;
}

/** Records one run of the app into `db`; every run the database then holds, and the recorded run among them. */
export async function recordedChildRunApp(db: string): Promise<{ runs: RunRecord[]; parent: RunRecord }> {
  const parentId = await recordChildRunApp(db);
  const store = await openStore(db);
  try {
    const runs = await store.listRuns();
    return { runs, parent: runs.find((r) => r.id === parentId)! };
  } finally {
    await store.close();
  }
}
