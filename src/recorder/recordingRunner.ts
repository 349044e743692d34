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
import { recordChildRuns, recordsItsOwnRuns } from './childRuns.js';
import { writerFor, type RecordOptions } from './record.js';
import { runRecorded } from './recordedRun.js';
import type { RerunOptions } from '../rerun/rerunOptions.js';
import { RunnerRerun } from '../rerun/runnerRerun.js';
import { prepareRunnerCapture } from './runnerCapture.js';

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
    recordsItsOwnRuns(this);
    // An agent used as a tool in this runner's runs runs on a runner of the SDK's: recorded as a child run.
    recordChildRuns();
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
    const rerun = this.#rerun;
    const session = rerun ? await rerun.begin(input instanceof RunState ? input.currentAgent : agent) : undefined;
    const recordOptions: RecordOptions = session
      ? // A re-run is always captured: the Model objects its agents hold are answered through the capture patch.
        { ...this.#recordOptions, metadata: { ...this.#recordOptions.metadata, rerunOf: session.source.run.id }, capture: true }
      : this.#recordOptions;
    const start = () => runRecorded(this, recordOptions, agent, input, options, (a, i, o) => super.run(a, i, o as NonStreamRunOptions<any, any>)) as Promise<any>;
    if (!rerun || !session) return start();
    return rerun.run(session, start, options?.stream ? (result) => result.completed : async () => {});
  }
}

