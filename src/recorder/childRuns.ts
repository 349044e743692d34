import { Runner } from '@openai/agents';
import { observeRunConfigFilter } from '../capture/handoffFilters.js';
import { parentOfNewRun, runRecorded, type SdkRun } from './recordedRun.js';
import { prepareRunnerCapture } from './runnerCapture.js';

/** RecordingRunners: they record their own runs (and link them to a tool call they run in themselves). */
const recordingRunners = new WeakSet<Runner>();
/** Runners a child run was recorded on, prepared for capture once each. */
const preparedRunners = new WeakSet<Runner>();

const PATCHED = Symbol.for('runtape.childRuns');

/** `runner` records its runs itself: the child-run patch passes its calls straight to the SDK. */
export function recordsItsOwnRuns(runner: Runner): void {
  recordingRunners.add(runner);
}

/**
 * Records the runs an agent used as a tool makes, each as a child run of the recorded run whose tool call
 * started it. `agent.asTool()` runs its agent on a `new Runner(...)` of its own, inside the tool's invocation
 * (agents-core `agent.js`): the only way in is the SDK's `Runner.prototype.run`, patched once here. The patch
 * is gated by the capture context: outside a tool call of a recorded run (any run nobody records, and a
 * RecordingRunner's own calls) it is a plain call through, so the application sees the SDK's runner unchanged.
 * Any run started inside such a tool call (`run()` in a function tool, too) is the call's child the same way.
 */
export function recordChildRuns(): void {
  const prototype = Runner.prototype as Runner & { [PATCHED]?: true };
  if (prototype[PATCHED]) return;
  const sdkRun = prototype.run as SdkRun;
  Object.defineProperty(prototype, PATCHED, { value: true });
  const patched = {
    // A method, not an arrow function: `this` is the runner, and `run` keeps its name.
    run(this: Runner, ...[agent, input, options]: Parameters<SdkRun>) {
      const parent = recordingRunners.has(this) ? undefined : parentOfNewRun();
      if (!parent) return sdkRun.call(this, agent, input, options);
      prepareChildRunner(this);
      return runRecorded(this, parent.options, agent, input, options, (a, i, o) => sdkRun.call(this, a, i, o));
    },
  }.run;
  Object.defineProperty(prototype, 'run', { ...Object.getOwnPropertyDescriptor(prototype, 'run'), value: patched });
}

/** What a RecordingRunner's constructor does for capture, done for a runner the SDK made itself. */
function prepareChildRunner(runner: Runner): void {
  if (preparedRunners.has(runner)) return;
  preparedRunners.add(runner);
  observeRunConfigFilter(runner.config);
  prepareRunnerCapture(runner);
}
