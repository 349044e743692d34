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
import { observeRunConfigFilter } from '../capture/handoffFilters.js';
import { prepareRunCapture } from '../capture/runCapture.js';
import { modelName } from './agentGraph.js';
import { systemClock } from './clock.js';
import { recordNonStreamedRun } from './nonStreamedRun.js';
import { recordingObserver, registerRecording, startRecording, writerFor, type RecordOptions, type RecordStartOptions } from './record.js';
import { failedRunEnd, runEndOf } from './runEnd.js';
import { observeRunStartedBy } from './resultHooks.js';

type RunInput<TContext, TAgent extends Agent<any, any>> = string | AgentInputItem[] | RunState<TContext, TAgent>;

/**
 * A Runner that records every streamed run. The one-line change for an application:
 * `new Runner(config)` becomes `new RecordingRunner(config, { name, tags })`. The result is the SDK's own.
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
    };
    if (!options?.stream) return this.#runNonStreamed(recordOptions, () => super.run(agent, input, options as NonStreamRunOptions<TContext, TAgent>));
    return observeRunStartedBy(
      () => super.run(agent, input, options),
      (result) => recordingObserver(result, recordOptions),
    );
  }

  async #runNonStreamed<T extends RunResult<any, any>>(options: RecordStartOptions, start: () => Promise<T>): Promise<T> {
    const recording = startRecording(options, options.input);
    try {
      const result = await recordNonStreamedRun(this, recording, start);
      registerRecording(result, recording);
      recording.end(runEndOf(result, recording.elapsedUs(), undefined, undefined));
      return result;
    } catch (error) {
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
