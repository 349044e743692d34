import type { Model } from '@openai/agents';
import { answerModelCallsWith } from '../capture/modelCalls.js';
import { modelName } from '../capture/agentObjects.js';
import { currentRerun } from './rerunContext.js';
import { RerunModel } from './rerunModel.js';

const standIns = new WeakMap<Model, RerunModel>();

/**
 * A `Model` object an agent holds is called by the runner directly, never through a provider. The capture
 * layer's gated patch on that object (installed as the agent starts, in every recorded run) asks who answers
 * each call: inside a re-run, the recording does, through a RerunModel over the object's own methods; anywhere
 * else, the object itself. A RerunModel (a provider's, already answering from the recording) stands for itself.
 */
export function serveModelObjectsInReruns(): void {
  answerModelCallsWith((model, own) => {
    if (!currentRerun() || model instanceof RerunModel) return undefined;
    let standIn = standIns.get(model);
    if (!standIn) standIns.set(model, (standIn = new RerunModel(modelName(model), currentRerun, () => own)));
    return standIn;
  });
}
