import { setTracingDisabled, type Agent } from '@openai/agents';
import { createDemoCast } from './agents.js';
import { SimulatedClock, type DemoClock } from './clock.js';
import { createIdSource } from './ids.js';
import { createPacer } from './pacing.js';
import { deriveSeed, seededRandom } from './random.js';
import { scriptedScenarios, type DemoScenario } from './scenarios.js';
import { scriptedTurn } from './turn.js';

export type { DemoScenario } from './scenarios.js';
export { DemoModel } from './model.js';
export { SimulatedClock, realTimeClock, type DemoClock } from './clock.js';

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
  /** The clock the run's latencies pass on: record the run with it (RecordOptions.clock) to keep its timeline. */
  clock: DemoClock;
}

export interface DemoRunOptions {
  /** 1 = realistic timing (default), 0 = no delays at all; scales model and tool latency. */
  pace?: number;
  /**
   * What the latencies pass on: by default a SimulatedClock of the run's own (realistic timing, no real
   * waiting); `realTimeClock` to stream in real time. Runs recorded one after another can share one
   * SimulatedClock, so that they also start one after another.
   */
  clock?: DemoClock;
  /** Varies timing jitter and ids; the same seed gives the same run. */
  seed?: number;
}

/**
 * The demo's agents (its starting agent, Triage) with nothing scripted: what `runtape rerun` re-runs a demo run
 * with, every model call answered from the recording. The tools take no simulated time.
 */
export function createDemoAgents(): Agent<any, any> {
  setTracingDisabled(true);
  return createDemoCast(createPacer(0, seededRandom(1), new SimulatedClock())).triage;
}

/**
 * Builds a fresh agent graph whose scripted models act out one scenario. Call it once per
 * run: scripted models consume their turns. Pass `startingAgent` and `input` to a Runner
 * with `stream: true`, and `clock` to the recorder.
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
  const clock = options.clock ?? new SimulatedClock();
  // Separate streams for timing and ids, so ids stay the same whatever the pace.
  const pacer = createPacer(options.pace ?? 1, seededRandom(deriveSeed(seed, `${scenario.name}:timing`)), clock);
  const ids = createIdSource(seededRandom(deriveSeed(seed, `${scenario.name}:ids`)));

  const cast = createDemoCast(pacer);
  scenario.script(cast, (script) => scriptedTurn(script, { pacer, ids }));
  return { name: scenario.name, input: scenario.input, startingAgent: cast.triage, clock };
}
