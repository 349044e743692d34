import { assistantMessage, functionCall, modelStream, modelStreamResponder } from '@openai/agents/testing';

/** One event of a scripted model stream, as `modelStream` takes it. */
export type ModelEvent = Parameters<typeof modelStream>[0] extends Iterable<infer E> | AsyncIterable<infer E> ? E : never;
type OutputItem = ReturnType<typeof assistantMessage> | ReturnType<typeof functionCall>;
type StreamStep = ReturnType<typeof modelStream>;

const usage = { requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 };

/** A promise the test opens by hand: a model waits on it instead of on wall time, so races become orders. */
export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface TurnOptions {
  /** Waited on before the delta of that index is yielded (otherwise only a microtask passes, or `everyMs`). */
  before?: Record<number, Gate>;
  /** Every delta waits this long first (a model that streams in real time). */
  everyMs?: number;
  /** Throw this after that many deltas (a dropped connection). */
  failAfter?: { deltas: number; error: Error };
  /** Called once the runner has taken the delta of that index (the generator resumed after yielding it). */
  taken?: Record<number, () => void>;
}

/**
 * Builds the scripted turns of one scenario. Response ids count per builder, not per process, so the same
 * scenario built twice (once per runner kind) yields identical runs.
 */
export class Turns {
  #responses = 0;

  /** A streamed turn: response_started, the deltas, response_done with the output items. */
  stream(output: OutputItem[], deltas: unknown[] = [], options: TurnOptions = {}): StreamStep {
    const id = `resp_${++this.#responses}`;
    async function* events(): AsyncGenerator<ModelEvent> {
      yield { type: 'response_started' } as ModelEvent;
      for (const [i, delta] of deltas.entries()) {
        if (options.failAfter?.deltas === i) throw options.failAfter.error;
        await options.before?.[i]?.opened;
        if (options.everyMs) await sleep(options.everyMs);
        yield { type: 'output_text_delta', delta } as ModelEvent;
        options.taken?.[i]?.();
      }
      if (options.failAfter?.deltas === deltas.length) throw options.failAfter.error;
      yield { type: 'response_done', response: { id, usage, output } } as ModelEvent;
    }
    return modelStream(events());
  }

  /** An assistant message streamed in `chunks` deltas. */
  text(text: string, chunks = 3, options: TurnOptions = {}): StreamStep {
    return this.stream([assistantMessage(text)], split(text, chunks), options);
  }

  /** A turn that calls one function tool (or a handoff, whose tool is `transfer_to_<Agent_Name>`). */
  call(name: string, args: Record<string, unknown> = {}, callId = `call_${name}`, deltas: string[] = []): StreamStep {
    return this.stream([functionCall(name, args, { callId })], deltas);
  }

  /** A turn that answers with the input it was given, as the model saw it: shows what a filter passed on. */
  echoInput(): ReturnType<typeof modelStreamResponder> {
    const id = `resp_${++this.#responses}`;
    return modelStreamResponder((call) => {
      const input = call.request.input;
      const text = typeof input === 'string' ? input : input.map((item) => ('role' in item ? item.role : item.type)).join(',');
      return [
        { type: 'response_started' },
        { type: 'output_text_delta', delta: text },
        { type: 'response_done', response: { id, usage, output: [assistantMessage(text)] } },
      ] as ModelEvent[];
    });
  }
}

function split(text: string, chunks: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / chunks));
  return Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
}
