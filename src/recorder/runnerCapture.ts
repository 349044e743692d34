import type { Agent, Model, ModelProvider, Runner } from '@openai/agents';
import { currentCapture, shareTracingContext } from '../capture/captureContext.js';
import { agentStarted, captureModelCalls, nameModel, runEnding } from '../capture/modelCalls.js';
import type { RunRecording } from './runRecording.js';

/**
 * What a RecordingRunner does so that capture modules see its runs' model calls, wherever the model comes
 * from: the runner's own provider is wrapped (the runner's config is the runner's, not the application's
 * objects), and each agent's own `Model` object, which bypasses providers, gets the per-instance patch when
 * the agent starts. The runner's `agent_start` says whose turn it is: a request does not name its agent.
 */
export function prepareRunnerCapture(runner: Runner): void {
  // Before the runner's first run, so that its runs' tracing context is kept where capture finds its runs.
  shareTracingContext();
  runner.config.modelProvider = capturingProvider(runner.config.modelProvider);
  runner.on('agent_start', (_context, agent) => {
    const sink = currentCapture();
    if (!sink) return;
    agentStarted(sink, agent);
    captureAgentModel(agent);
  });
}

/** A run starts: its starting agent's turn (a run resumed mid-turn gets no `agent_start` for it). */
export function startRunCapture(runner: Runner, recording: RunRecording, startingAgent: Agent<any, any>): void {
  agentStarted(recording, startingAgent);
  captureAgentModel(startingAgent);
  if (isModel(runner.config.model)) captureModelCalls(runner.config.model);
  recording.whenEnding(() => runEnding(recording));
}

function captureAgentModel(agent: Agent<any, any>): void {
  if (isModel(agent.model)) captureModelCalls(agent.model);
}

function isModel(model: unknown): model is Model {
  return typeof model === 'object' && model !== null && typeof (model as Model).getResponse === 'function';
}

/** The runner's provider, with every model it hands out patched (and named by the name it was asked for). */
function capturingProvider(provider: ModelProvider): ModelProvider {
  return {
    async getModel(name?: string): Promise<Model> {
      const model = await provider.getModel(name);
      if (name) nameModel(model, name);
      captureModelCalls(model);
      return model;
    },
  };
}
