import type { Model, ModelProvider, ModelRequest, ModelResponse, StreamEvent } from '@openai/agents';
import { faultedEvents, faultedResponse } from '../faults/faultedStream.js';
import { recordedError } from '../store/recordedError.js';
import type { RecordedCall } from './recordedRun.js';
import { requestNow } from './request.js';
import type { RerunSession } from './rerunSession.js';
import { servedEvents, servedResponse } from './servedResponse.js';

/**
 * A model answered by a recording: each call takes the next recorded call from the re-run it belongs to.
 * Outside a re-run (no session), or past the recording's end with `onMissing: 'live'`, it is the application's
 * own model.
 */
export class RerunModel implements Model {
  constructor(
    readonly name: string | undefined,
    readonly session: () => RerunSession | undefined,
    readonly live: () => Model | Promise<Model>,
  ) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const session = this.session();
    const call = session?.take(requestNow(request, session.currentAgent, this.name));
    if (!session || !call) return (await this.#otherModel(session)).getResponse(request);
    await faultedResponse(session.faultsAt(call.call), request.signal);
    failIfIncomplete(session, call);
    return servedResponse(call);
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const session = this.session();
    const call = session?.take(requestNow(request, session.currentAgent, this.name));
    if (!session || !call) {
      yield* (await this.#otherModel(session)).getStreamedResponse(request);
      return;
    }
    yield* faultedEvents(servedEvents(call, session.pace, request.signal), session.faultsAt(call.call), request.signal);
    failIfIncomplete(session, call);
  }

  /** What answers a call the recording does not: a fork's `then`, else the application's own model. */
  #otherModel(session: RerunSession | undefined): Model | Promise<Model> {
    return session?.options.then ?? this.live();
  }
}

/** A recorded call that failed mid-stream fails again, after the events it had delivered, as it did. */
function failIfIncomplete(session: RerunSession, call: RecordedCall): void {
  if (!call.complete) throw recordedError(session.source.run);
}

/**
 * Gives every model asked for by name as a RerunModel over the application's own provider (which answers
 * whatever the recording does not).
 */
export class RerunModelProvider implements ModelProvider {
  constructor(
    readonly session: () => RerunSession | undefined,
    readonly live: ModelProvider,
  ) {}

  getModel(modelName?: string): Model {
    return new RerunModel(modelName, this.session, () => this.live.getModel(modelName));
  }
}
