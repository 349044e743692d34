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
import { modelName } from '../capture/agentObjects.js';
import { systemClock } from './clock.js';
import { recordNonStreamedRun } from './nonStreamedRun.js';
import { recordingObserver, registerRecording, startRecording, writerFor, type RecordOptions, type RecordStartOptions } from './record.js';
import { failedRunEnd, runEndOf } from './runEnd.js';
import { observeRunStartedBy } from './resultHooks.js';
import type { RerunOptions } from '../rerun/rerunOptions.js';
import { RunnerRerun } from '../rerun/runnerRerun.js';
import { prepareRunnerCapture, startRunCapture } from './runnerCapture.js';
import type { RunRecording } from './runRecording.js';

type RunInput<TContext, TAgent extends Agent<any, any>> = string | AgentInputItem[] | RunState<TContext, TAgent>;

export interface RecordingRunnerOptions extends RecordOptions {
  /**
   * Re-run a recording: every model call of every run is answered from the recorded run's calls, matched as
   * asked (`strict` by default). The application's tools, filters and guardrails run again. Each new run is
   * recorded too, with `metadata.rerunOf` naming the run it re-ran.
   */
  rerun?: RerunOptions;
}

/**
 * A Runner that records every run, and what each agent saw (its model calls): it runs the SDK's run inside
 * the capture context of the run's recording, which exists from the call on. The one-line change for an
 * application: `new Runner(config)` becomes `new RecordingRunner(config, { name, tags })`. The result is the
 * SDK's own.
 */
export class RecordingRunner extends Runner {
  readonly #recordOptions: RecordOptions;
  readonly #rerun: RunnerRerun | undefined;

  constructor(config: Partial<RunConfig> = {}, { rerun, ...recordOptions }: RecordingRunnerOptions = {}) {
    super(config);
    this.#recordOptions = recordOptions;
    if (rerun) {
      this.#rerun = new RunnerRerun(rerun, recordOptions.db, recordOptions.redact);
      this.#rerun.install(this);
    }
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
    const rerun = this.#rerun;
    const session = rerun ? await rerun.begin(startingAgent) : undefined;
    const runnerModel = modelName(this.config.model);
    const clock = this.#recordOptions.clock ?? systemClock;
    const recordOptions: RecordStartOptions = {
      ...this.#recordOptions,
      ...(session ? { metadata: { ...this.#recordOptions.metadata, rerunOf: session.source.run.id } } : {}),
      startingAgent,
      // A resumed run's input is the whole serialized state; a marker says where it came from instead.
      input: resumed ? { resumedFrom: 'RunState', agent: startingAgent.name } : input,
      ...(runnerModel ? { runnerModel } : {}),
      ...(options?.signal ? { signal: options.signal } : {}),
      ...(resumed ? { resumesCallIds: interruptedCallIds(input) } : {}),
      startedAt: clock.now(),
      // A re-run is always captured: the Model objects its agents hold are answered through the capture patch.
      captured: session !== undefined || (this.#recordOptions.capture ?? true),
    };
    const recording = startRecording(recordOptions, recordOptions.input);
    // How the run ended, for what capture reads off the SDK's result (or a failed run's error) at its end.
    const ended: RunOutcome = {};
    if (recordOptions.captured) {
      prepareRunCapture(this, startingAgent);
      startRunCapture(this, recording, startingAgent);
      recording.whenEnding(() => finishRunCapture(recording, ended, startingAgent.name));
    }
    const inRun = <T>(start: () => T): T => (recordOptions.captured ? withCapture(recording, start) : start());
    if (!options?.stream) {
      const start = () => this.#runNonStreamed(recording, ended, () => inRun(() => super.run(agent, input, options as NonStreamRunOptions<TContext, TAgent>)));
      return rerun && session ? rerun.run(session, start, async () => {}) : start();
    }
    const start = async () => {
      let bound = false;
      try {
        return await observeRunStartedBy(
          () => inRun(() => super.run(agent, input, options)),
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
    };
    return rerun && session ? rerun.run(session, start, (result) => result.completed) : start();
  }

  async #runNonStreamed<T extends RunResult<any, any>>(recording: RunRecording, ended: RunOutcome, start: () => Promise<T>): Promise<T> {
    try {
      const result = await recordNonStreamedRun(this, recording, start);
      ended.result = result;
      registerRecording(result, recording);
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
