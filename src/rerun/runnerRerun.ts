import type { Agent, Runner } from '@openai/agents';
import { RuntapeError } from '../errors.js';
import { loadRedactor } from '../redaction/loadRedactor.js';
import { redactionSpecOf, type RedactOptions } from '../redaction/options.js';
import type { Redactor } from '../redaction/redactor.js';
import type { RunStore } from '../store/runStore.js';
import type { Difference } from './difference.js';
import type { RecordedRun } from './recordedRun.js';
import { currentRerun, withRerun } from './rerunContext.js';
import { RerunModelProvider } from './rerunModel.js';
import type { RerunOptions } from './rerunOptions.js';
import { RerunSession } from './rerunSession.js';
import { modelInstances } from './modelInstances.js';
import { serveModelObjectsInReruns } from './modelStandIn.js';
import { serveRecordedToolOutputs } from './recordedTools.js';
import { firstCallOfModelInstance, loadRerunSource } from './rerunSource.js';

const divergencesByResult = new WeakMap<object, RerunSession>();

/**
 * The differences a re-run found between its requests and the recorded ones (`match: 'sequence'` collects
 * them; a run that made fewer calls than were recorded says so once it ended). Undefined for a result that
 * is no re-run.
 */
export function rerunDivergences(result: object): Difference[] | undefined {
  return divergencesByResult.get(result)?.divergences;
}

/**
 * What a RecordingRunner with the `rerun` option adds: its models, asked for by name, are answered from the
 * recording; each run gets its own session, found through the async context.
 */
export class RunnerRerun {
  #source: Promise<RecordedRun> | undefined;
  #redactor: Promise<Redactor> | undefined;

  constructor(
    readonly options: RerunOptions,
    readonly recordingDb: string | RunStore | undefined,
    /** The runner's redaction, which its recording (and the one it re-runs, as a rule) was made with. */
    readonly redact: RedactOptions | undefined,
  ) {}

  /** Installs the re-run on a runner: its model provider, and who is calling (the runner's `agent_start`). */
  install(runner: Runner): void {
    runner.config.modelProvider = new RerunModelProvider(currentRerun, runner.config.modelProvider);
    runner.on('agent_start', (_context, agent) => currentRerun()?.agentStarted(agent.name));
    serveModelObjectsInReruns();
  }

  /** A session for one run starting at `agent`; the recording is read once per runner. */
  async begin(agent: Agent<any, any>): Promise<RerunSession> {
    this.#source ??= loadRerunSource(this.options, this.recordingDb);
    const source = await this.#source;
    // Models the agents hold are served through the capture layer's patch on each, which a frozen one cannot take.
    const frozen = modelInstances(agent).filter((model) => !Object.isExtensible(model));
    const unreachable = frozen.length > 0 ? firstCallOfModelInstance(agent, source, (model) => frozen.includes(model)) : undefined;
    if (unreachable) {
      throw new RuntapeError(`call ${unreachable.call} (agent ${unreachable.agent}): the agent's Model object is frozen, so a re-run cannot answer its calls`);
    }
    if (this.options.tools === 'recorded') serveRecordedToolOutputs(agent);
    this.#redactor ??= loadRedactor(redactionSpecOf(this.redact));
    const session = new RerunSession(source, this.options, await this.#redactor);
    // A run resumed mid-turn gets no `agent_start` for the agent it resumes with.
    session.agentStarted(agent.name);
    return session;
  }

  /** Runs `start` as the session's run; `ended` settles when that run is over. */
  run<T extends object>(session: RerunSession, start: () => Promise<T>, ended: (result: T) => Promise<unknown>): Promise<T> {
    return withRerun(session, start, async (result) => {
      divergencesByResult.set(result, session);
      const completed = await ended(result).then(
        () => true,
        () => false,
      );
      if (completed) session.finish();
    });
  }
}
