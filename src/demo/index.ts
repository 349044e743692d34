import { setTracingDisabled, type Agent } from '@openai/agents';
import { createDemoCast } from './agents.js';
import { createIdSource } from './ids.js';
import { createPacer } from './pacing.js';
import { deriveSeed, seededRandom } from './random.js';
import { scriptedScenarios, type DemoScenario } from './scenarios.js';
import { scriptedTurn } from './turn.js';

export type { DemoScenario } from './scenarios.js';
export { DemoModel } from './model.js';

/** The scenarios `createDemoRun` accepts, without their scripts. */
export const demoScenarios: readonly DemoScenario[] = scriptedScenarios.map(({ name, input, description }) => ({
  name,
  input,
  description,
}));

export interface DemoRun {
  name: string;
  input: string;
  startingAgent: Agent<any, any>;
}

export interface DemoRunOptions {
  /** 1 = realistic timing (default), 0 = no delays at all; scales model and tool latency. */
  pace?: number;
  /** Varies timing jitter and ids; the same seed gives the same run. */
  seed?: number;
}

/**
 * Builds a fresh agent graph whose scripted models act out one scenario. Call it once per
 * run: scripted models consume their turns. Pass `startingAgent` and `input` to a Runner
 * with `stream: true`.
 */
export function createDemoRun(scenarioName: string, options: DemoRunOptions = {}): DemoRun {
  const scenario = scriptedScenarios.find((s) => s.name === scenarioName);
  if (scenario === undefined) {
    const known = scriptedScenarios.map((s) => s.name).join(', ');
    throw new Error(`Unknown demo scenario "${scenarioName}" (known: ${known})`);
  }
  // The demo is offline by definition; tracing would otherwise try to export to OpenAI.
  setTracingDisabled(true);

  const seed = options.seed ?? 1;
  // Separate streams for timing and ids, so ids stay the same whatever the pace.
  const pacer = createPacer(options.pace ?? 1, seededRandom(deriveSeed(seed, `${scenario.name}:timing`)));
  const ids = createIdSource(seededRandom(deriveSeed(seed, `${scenario.name}:ids`)));

  const cast = createDemoCast(pacer);
  scenario.script(cast, (script) => scriptedTurn(script, { pacer, ids }));
  return { name: scenario.name, input: scenario.input, startingAgent: cast.triage };
}
