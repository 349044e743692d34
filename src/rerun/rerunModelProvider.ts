import { Runner, type Agent, type ModelProvider } from '@openai/agents';
import { RuntapeError } from '../errors.js';
import { loadRedactor } from '../redaction/loadRedactor.js';
import { redactionSpecOf, type RedactOptions } from '../redaction/options.js';
import type { Difference } from './difference.js';
import { RerunModelProvider } from './rerunModel.js';
import type { RerunOptions } from './rerunOptions.js';
import { followAgents } from './providerAgents.js';
import { RerunSession } from './rerunSession.js';
import { firstCallOfModelInstance, loadRerunSource } from './rerunSource.js';

/**
 * A provider's re-run takes no `tools` (the application's tools always run): serving recorded tool outputs
 * takes knowing which run calls a tool, which only RecordingRunner's `rerun` knows.
 */
export interface RerunProviderOptions extends Omit<RerunOptions, 'tools'> {
  /** What answers calls the recording does not hold (`onMissing: 'live'`); default the SDK's default provider. */
  live?: ModelProvider;
  /** The redaction the recording was made with (beyond the built-in one), so requests compare as it stored them. */
  redact?: RedactOptions;
}

/** A model provider that answers one run from a recording, for the SDK's own `Runner`. */
export interface RerunProvider extends ModelProvider {
  /** The differences found so far (`match: 'sequence'`). */
  readonly divergences: Difference[];
}

/**
 * A model provider for the SDK's own `Runner`, answering one re-run of `agent` from a recorded run:
 * `new Runner({ modelProvider: await rerunModelProvider(agent, { run: 'last' }) })`. Make one per run.
 *
 * A provider is asked only for models given by name: an agent holding a `Model` instance is called directly,
 * and would reach its live model. Such an agent in the recording is refused here, before anything runs
 * (RecordingRunner's `rerun` option is the way to re-run it). Which agent is calling is heard from the agents
 * themselves (providerAgents.ts): the provider serves the first run that starts at `agent` after it was made.
 */
export async function rerunModelProvider(agent: Agent<any, any>, options: RerunProviderOptions): Promise<RerunProvider> {
  const source = await loadRerunSource(options);
  const unreachable = firstCallOfModelInstance(agent, source);
  if (unreachable) {
    throw new RuntapeError(
      `call ${unreachable.call} (agent ${unreachable.agent}): the agent holds a Model instance, which a model provider never sees: re-run it with RecordingRunner's rerun option`,
    );
  }
  const session = new RerunSession(source, options, await loadRedactor(redactionSpecOf(options.redact)));
  // A run resumed mid-turn announces no start for the agent it resumes with.
  session.agentStarted(agent.name);
  followAgents(session, agent);
  // The SDK's own choice of default provider (setDefaultModelProvider, else OpenAI's), as a plain Runner makes it.
  const live = options.live ?? new Runner().config.modelProvider;
  const provider = new RerunModelProvider(() => session, live);
  return Object.assign(provider, { divergences: session.divergences });
}
