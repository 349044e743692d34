import { terminalSafeJson } from '../events/sanitize.js';
import type { RecordedCall, RecordedRun } from './recordedRun.js';

/** The provider's own twin of each event (`model`): a test of the application's code does without it. */
const PROVIDER_EVENT = 'model';

/**
 * A recorded run's model responses as TypeScript for the SDK's own `ScriptedModel`: one `modelStream` turn per
 * call with the events it streamed, grouped by the agent that made it (an agent's turns, in order, are what
 * its ScriptedModel plays). A call that failed mid-stream becomes an error step after nothing: the SDK's
 * scripted model cannot stream and then fail.
 */
export function scriptedTurnsSource(source: RecordedRun): string {
  const lines = [
    `// The model turns of runtape run ${source.run.id}${source.run.name ? ` (${literal(source.run.name)})` : ''}, for @openai/agents/testing's ScriptedModel.`,
    `// Give each agent its own model: new Agent({ ..., model: new ScriptedModel(turns[${literal(source.calls[0]?.agent ?? 'Agent')}]) }).`,
    "import type { StreamEvent } from '@openai/agents';",
    "import { modelStream, type ScriptedModelInput } from '@openai/agents/testing';",
    '',
  ];
  for (const call of source.calls) lines.push(...turnSource(call), '');
  const agents = [...new Set(source.calls.map((call) => call.agent))];
  lines.push('/** Each agent\'s turns, in the order it took them. */');
  lines.push('export const turns: Record<string, ScriptedModelInput[]> = {');
  for (const agent of agents) {
    const calls = source.calls.filter((call) => call.agent === agent).map((call) => `call${call.call}`);
    lines.push(`  ${literal(agent)}: [${calls.join(', ')}],`);
  }
  lines.push('};');
  return lines.join('\n') + '\n';
}

function turnSource(call: RecordedCall): string[] {
  const header = `/** Call ${call.call}, by ${call.agent}. */`;
  if (!call.complete) {
    return [header, `const call${call.call}: ScriptedModelInput = { type: 'error', error: new Error('the recorded call failed mid-stream') };`];
  }
  const events = call.events.filter((event) => event.data.type !== PROVIDER_EVENT).map((event) => `  ${literal(event.data)},`);
  return [header, `const call${call.call} = modelStream([`, ...events, '] as StreamEvent[]);'];
}

/** JSON is a TypeScript literal; escaped so that printing it cannot act on a terminal. */
function literal(value: unknown): string {
  return terminalSafeJson(JSON.stringify(value));
}
