import {
  Runner,
  RunState,
  type Agent,
  type AgentInputItem,
  type NonStreamRunOptions,
  type RunConfig,
  type RunResult,
  type StreamRunOptions,
  type StreamedRunResult,
} from '@openai/agents';
import { withCapture } from '../capture/captureContext.js';
import { observeRunConfigFilter } from '../capture/handoffFilters.js';
import { finishRunCapture, prepareRunCapture, type RunOutcome } from '../capture/runCapture.js';
import { modelName } from './agentGraph.js';
import { systemClock } from './clock.js';
import { recordNonStreamedRun } from './nonStreamedRun.js';
import { recordingObserver, registerRecording, startRecording, writerFor, type RecordOptions, type RecordStartOptions } from './record.js';
import { failedRunEnd, runEndOf } from './runEnd.js';
import { observeRunStartedBy } from './resultHooks.js';
import { prepareRunnerCapture, startRunCapture } from './runnerCapture.js';
import type { RunRecording } from './runRecording.js';

type RunInput<TContext, TAgent extends Agent<any, any>> = string | AgentInputItem[] | RunState<TContext, TAgent>;

/**
 * A Runner that records every run, and what each agent saw (its model calls): it runs the SDK's run inside
 * the capture context of the run's recording, which exists from the call on. The one-line change for an
 * application: `new Runner(config)` becomes `new RecordingRunner(config, { name, tags })`. The result is the
 * SDK's own.
 */
export class RecordingRunner extends Runner {
  readonly #recordOptions: RecordOptions;

  constructor(config: Partial<RunConfig> = {}, recordOptions: RecordOptions = {}) {
    super(config);
    this.#recordOptions = recordOptions;
    // The run-level handoff filter is this runner's own: observed here, for every run it records.
    observeRunConfigFilter(this.config);
    // The writer thread starts now, while the application sets up, rather than with the first run.
    writerFor(recordOptions);
    prepareRunnerCapture(this);
  }

  override run<TAgent extends Agent<any, any>, TContext = undefined>(
    agent: TAgent,
    input: RunInput<TContext, TAgent>,
    options?: NonStreamRunOptions<TContext, TAgent>,
  ): Promise<RunResult<TContext, TAgent>>;
  override run<TAgent extends Agent<any, any>, TContext = undefined>(
    agent: TAgent,
    input: RunInput<TContext, TAgent>,
    options?: StreamRunOptions<TContext, TAgent>,
  ): Promise<StreamedRunResult<TContext, TAgent>>;
  override async run<TAgent extends Agent<any, any>, TContext = undefined>(
    agent: TAgent,
    input: RunInput<TContext, TAgent>,
    options?: StreamRunOptions<TContext, TAgent> | NonStreamRunOptions<TContext, TAgent>,
  ): Promise<RunResult<TContext, TAgent> | StreamedRunResult<TContext, TAgent>> {
    const resumed = input instanceof RunState;
    const startingAgent = resumed ? input.currentAgent : agent;
    const runnerModel = modelName(this.config.model);
    const clock = this.#recordOptions.clock ?? systemClock;
    prepareRunCapture(this, startingAgent);
    const recordOptions: RecordStartOptions = {
      ...this.#recordOptions,
      startingAgent,
      // A resumed run's input is the whole serialized state; a marker says where it came from instead.
      input: resumed ? { resumedFrom: 'RunState', agent: startingAgent.name } : input,
      ...(runnerModel ? { runnerModel } : {}),
      ...(options?.signal ? { signal: options.signal } : {}),
      ...(resumed ? { resumesCallIds: interruptedCallIds(input) } : {}),
      startedAt: clock.now(),
      captured: true,
    };
    const recording = startRecording(recordOptions, recordOptions.input);
    startRunCapture(this, recording, startingAgent);
    // How the run ended, for what capture reads off the SDK's result (or a failed run's error) at its end.
    const ended: RunOutcome = {};
    recording.whenEnding(() => finishRunCapture(recording, ended, startingAgent.name));
    if (!options?.stream) {
      return this.#runNonStreamed(recording, ended, () => withCapture(recording, () => super.run(agent, input, options as NonStreamRunOptions<TContext, TAgent>)));
    }
    let bound = false;
    try {
      return await observeRunStartedBy(
        () => withCapture(recording, () => super.run(agent, input, options)),
        (result) => ((bound = true), (ended.result = result), recordingObserver(result, recordOptions, recording)),
      );
    } catch (error) {
      // The run failed before it had a result: its recording says so.
      if (!bound) {
        ended.error = error;
        recording.end(failedRunEnd(error, recording.elapsedUs()));
      }
      throw error;
    }
  }

  async #runNonStreamed<T extends RunResult<any, any>>(recording: RunRecording, ended: RunOutcome, start: () => Promise<T>): Promise<T> {
    try {
      const result = await recordNonStreamedRun(this, recording, start);
      registerRecording(result, recording);
      ended.result = result;
      recording.end(runEndOf(result, recording.elapsedUs(), undefined, undefined));
      return result;
    } catch (error) {
      ended.error = error;
      recording.end(failedRunEnd(error, recording.elapsedUs()));
      throw error;
    }
  }

}

/** The tool calls a RunState stopped at for approval. */
function interruptedCallIds(state: RunState<any, any>): string[] {
  return state
    .getInterruptions()
    .map((item) => (item.rawItem as { callId?: unknown }).callId)
    .filter((id): id is string => typeof id === 'string');
}
