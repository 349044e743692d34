import type { Agent, Model, ModelRequest, ModelResponse, StreamEvent } from '@openai/agents';
import { toErrorRecord } from '../events/serialize.js';
import { currentCapture } from './captureContext.js';
import { modelName } from './agentObjects.js';
import { sentRequest } from './modelRequest.js';
import { quietly } from './quietly.js';
import { toolTurnOver } from './toolCalls.js';
import type { CaptureSink, ModelCallRecord } from './types.js';

/**
 * One recorded run's model calls, numbered from 1. A call is captured once it is over: when it succeeded,
 * or, having failed, when the next call starts or the run ends (until then a retry by `modelSettings.retry`
 * may still add an attempt to it).
 */
class RunModelCalls {
  #calls = 0;
  /** The agent whose turn it is (the runner's `agent_start`): a request does not name its agent. */
  agent: Agent<any, any> | undefined;
  /** What waits for the next call's request (a handoff without a filter: what the next agent was sent). */
  readonly nextCall: ((request: ModelRequest) => void)[] = [];
  /** The last call, while a retry may still join it. */
  #failed: { record: ModelCallRecord; input: ModelRequest['input'] } | undefined;

  constructor(private readonly sink: CaptureSink) {}

  /** A model was asked for a response: a new call, or another attempt of the call that just failed. */
  begin(request: ModelRequest, model: string | null): CallInProgress {
    toolTurnOver(this.sink);
    const startUs = this.sink.elapsedUs();
    const failed = this.#failed;
    this.#failed = undefined;
    // A retry sends the same request again: the runner's retry loop hands on the very same input list.
    if (failed && failed.input === request.input) {
      failed.record.attempts.push({ attempt: failed.record.attempts.length + 1, startUs, endUs: null, error: null });
      return new CallInProgress(this, failed.record, request.input);
    }
    if (failed) this.sink.capture('modelCall', failed.record);
    for (const fn of this.nextCall.splice(0)) quietly(() => fn(request));
    const record: ModelCallRecord = {
      call: ++this.#calls,
      agent: this.agent?.name ?? '?',
      model,
      ...sentRequest(request, this.agent),
      responseId: null,
      usage: null,
      startUs,
      endUs: null,
      ttftUs: null,
      firstSeq: null,
      lastSeq: null,
      attempts: [{ attempt: 1, startUs, endUs: null, error: null }],
      error: null,
    };
    return new CallInProgress(this, record, request.input);
  }

  succeeded(record: ModelCallRecord): void {
    this.sink.capture('modelCall', record);
  }

  failedOnce(record: ModelCallRecord, input: ModelRequest['input']): void {
    this.#failed = { record, input };
  }

  /** The run ends: a failed call no retry followed is over. */
  flush(): void {
    if (this.#failed) this.sink.capture('modelCall', this.#failed.record);
    this.#failed = undefined;
  }

  /** The number of the last call begun; 0 before the first. */
  get count(): number {
    return this.#calls;
  }

  seqNow(): number {
    return this.sink.nextSeq();
  }

  nowUs(): number {
    return this.sink.elapsedUs();
  }
}

/** One attempt of a call, from the request to its response or error. */
class CallInProgress {
  readonly #firstSeq: number;
  #over = false;

  constructor(
    private readonly calls: RunModelCalls,
    readonly record: ModelCallRecord,
    private readonly input: ModelRequest['input'],
  ) {
    this.#firstSeq = calls.seqNow();
  }

  /** One event of a streamed response, as the model yields it. */
  saw(event: StreamEvent): void {
    if (event.type === 'output_text_delta') {
      this.record.ttftUs ??= this.calls.nowUs();
    } else if (event.type === 'response_done') {
      this.record.responseId = event.response.id ?? null;
      this.record.usage = event.response.usage ?? null;
    }
  }

  succeeded(response?: ModelResponse): void {
    if (!this.#end()) return;
    if (response) {
      this.record.responseId = response.responseId ?? null;
      this.record.usage = response.usage ?? null;
    }
    this.record.error = null;
    this.calls.succeeded(this.record);
  }

  failed(error: unknown): void {
    if (!this.#end()) return;
    const record = toErrorRecord(error);
    this.record.attempts[this.record.attempts.length - 1]!.error = record;
    this.record.error = record;
    this.calls.failedOnce(this.record, this.input);
  }

  /** Stamps the attempt's end and the events the call produced so far; false when it ended already. */
  #end(): boolean {
    if (this.#over) return false;
    this.#over = true;
    const endUs = this.calls.nowUs();
    this.record.endUs = endUs;
    this.record.attempts[this.record.attempts.length - 1]!.endUs = endUs;
    const lastSeq = this.calls.seqNow() - 1;
    // A non-streamed run's events are recorded after it: its calls produced none while they went on.
    if (lastSeq >= this.#firstSeq) {
      this.record.firstSeq ??= this.#firstSeq;
      this.record.lastSeq = lastSeq;
    }
    return true;
  }
}

const runs = new WeakMap<CaptureSink, RunModelCalls>();

function callsOf(sink: CaptureSink): RunModelCalls {
  let calls = runs.get(sink);
  if (!calls) runs.set(sink, (calls = new RunModelCalls(sink)));
  return calls;
}

/** The runner started an agent's turn in the run `sink` records: that agent's calls follow. */
export function agentStarted(sink: CaptureSink, agent: Agent<any, any>): void {
  callsOf(sink).agent = agent;
}

/**
 * The number of the run's last model call, the one whose response is being acted on (a handoff's filter runs
 * before the next call starts); null before the run's first call (a run resumed from a RunState).
 */
export function lastCallNumber(sink: CaptureSink): number | null {
  return runs.get(sink)?.count || null;
}

/** `fn` is told the request of the run's next model call, as it is sent (once). */
export function beforeNextCall(sink: CaptureSink, fn: (request: ModelRequest) => void): void {
  callsOf(sink).nextCall.push(fn);
}

/** The run `sink` records is ending: a failed call that no retry followed is captured now. */
export function runEnding(sink: CaptureSink): void {
  runs.get(sink)?.flush();
}

const PATCHED = Symbol.for('runtape.capture.modelCalls');
/** The name a provider resolved to each model (a Model instance on an agent has none but its own). */
const resolvedNames = new WeakMap<Model, string>();

/** Records that `model` is what the provider gave for `name`. */
export function nameModel(model: Model, name: string): void {
  resolvedNames.set(model, name);
}

/**
 * What answers a patched model's call in place of the model itself, asked at every call with the model's own
 * methods (`own`): a re-run answers recorded calls through this same patch, so they are captured like any other.
 * Undefined: the model answers.
 */
export type ModelStandIn = (model: Model, own: Model) => Model | undefined;
let standIn: ModelStandIn = () => undefined;

/** Who stands in for patched models (one per process: the re-run, which asks its own context per call). */
export function answerModelCallsWith(answer: ModelStandIn): void {
  standIn = answer;
}

/**
 * Patches this one model object (not its class) so that every call made inside a recorded run is captured
 * there: `getResponse` and `getStreamedResponse` become own properties that ask `currentCapture()` who is
 * calling and otherwise pass straight through. Idempotent; every other property is the model's own. A model
 * that cannot be patched (frozen) is left alone: its calls go unrecorded, the run goes on.
 */
export function captureModelCalls(model: Model): void {
  const target = model as Model & { [PATCHED]?: true };
  if (target[PATCHED] || !Object.isExtensible(target)) return;
  const { getResponse, getStreamedResponse } = target;
  /** The model that answers this call: a stand-in, or the model's own methods. */
  const answering = (self: Model): Model => {
    const own: Model = { getResponse: (r) => getResponse.call(self, r), getStreamedResponse: (r) => getStreamedResponse.call(self, r) };
    return standIn(self, own) ?? own;
  };
  Object.defineProperty(target, PATCHED, { value: true });
  Object.defineProperty(target, 'getResponse', {
    configurable: true,
    writable: true,
    value: function (this: Model, request: ModelRequest): Promise<ModelResponse> {
      const sink = currentCapture();
      if (!sink) return answering(this).getResponse(request);
      const call = callsOf(sink).begin(request, nameOf(this));
      let pending: Promise<ModelResponse>;
      try {
        pending = answering(this).getResponse(request);
      } catch (error) {
        call.failed(error);
        throw error;
      }
      return pending.then(
        (response) => (call.succeeded(response), response),
        (error: unknown) => {
          call.failed(error);
          throw error;
        },
      );
    },
  });
  Object.defineProperty(target, 'getStreamedResponse', {
    configurable: true,
    writable: true,
    value: function (this: Model, request: ModelRequest): AsyncIterable<StreamEvent> {
      const sink = currentCapture();
      if (!sink) return answering(this).getStreamedResponse(request);
      const call = callsOf(sink).begin(request, nameOf(this));
      try {
        return observedStream(answering(this).getStreamedResponse(request), call);
      } catch (error) {
        call.failed(error);
        throw error;
      }
    },
  });
}

function nameOf(model: Model): string | null {
  return resolvedNames.get(model) ?? modelName(model) ?? null;
}

/**
 * The model's stream, each event seen as the runner takes it: one `then` per event, no generator of its own
 * in between. The call is over at the stream's end, its error, or the runner's `return()` (a cancelled run).
 */
function observedStream(stream: AsyncIterable<StreamEvent>, call: CallInProgress): AsyncIterable<StreamEvent> {
  return {
    [Symbol.asyncIterator]() {
      const inner = stream[Symbol.asyncIterator]();
      const step = (result: IteratorResult<StreamEvent>) => {
        if (result.done) call.succeeded();
        else call.saw(result.value);
        return result;
      };
      const failed = (error: unknown): never => {
        call.failed(error);
        throw error;
      };
      return {
        next: () => inner.next().then(step, failed),
        return: (value?: unknown) => {
          call.succeeded();
          return inner.return ? inner.return(value) : Promise.resolve({ done: true as const, value: undefined });
        },
        throw: (error?: unknown) => {
          call.failed(error);
          return inner.throw ? inner.throw(error) : Promise.reject(error);
        },
      };
    },
  };
}
