/**
 * A local stand-in for the OpenAI Responses API, so tests can drive the real
 * `openai` client + `OpenAIResponsesModel` path (HTTP, SSE decoding, raw
 * `model` events) offline and without an API key. It answers
 * `POST /v1/chat/completions` from the same script too (fakeChatCompletions.ts),
 * for `OpenAIChatCompletionsModel`.
 *
 * Event shapes follow the installed `openai` package types
 * (`OpenAI.Responses.ResponseStreamEvent`), which the compiler checks below.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type OpenAI from 'openai';
import { chatChunks, chatCompletion } from './fakeChatCompletions.js';

/** How a streamed turn fails on the wire: the connection dropped after `cutAfter` SSE events, or stalled. */
export interface WireTrouble {
  /** Destroy the connection after this many SSE events were written (the response never completes). */
  cutAfter?: number;
  /** Wait `ms` after `after` SSE events were written, then go on (unless the client closed the connection). */
  stall?: { after: number; ms: number };
}

export type FakeTurn =
  | ({ kind: 'text'; deltas: string[]; delayMs?: number } & WireTrouble)
  | ({ kind: 'function_call'; name: string; arguments: string; callId: string; delayMs?: number } & WireTrouble)
  | { kind: 'error'; status: number; message: string };

export interface FakeResponsesServer {
  /** Base URL for `new OpenAI({ baseURL })`, e.g. `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** Parsed JSON bodies of every request (`/v1/responses` or `/v1/chat/completions`), in arrival order (including failed ones). */
  requests: unknown[];
  close(): Promise<void>;
}

type R = OpenAI.Responses.Response;
// `output_text` is a convenience the openai client adds to non-streamed results;
// it is never on the wire, so the fake must not send it. `usage` is `null` on the
// wire until the response completes, although the client types only say optional.
type WireResponse = Omit<R, 'output_text' | 'usage'> & { usage?: R['usage'] | null };
type WithWireResponse<E> = E extends { response: R } ? Omit<E, 'response'> & { response: WireResponse } : E;
type WireEvent = WithWireResponse<OpenAI.Responses.ResponseStreamEvent>;
// Events are built without a sequence number; it is stamped at send time.
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type UnsequencedEvent = DistributiveOmit<WireEvent, 'sequence_number'>;

/** The subset of the request body we echo back, as the real API does. */
interface RequestBody {
  model?: string;
  stream?: boolean;
  instructions?: string | null;
  input?: unknown;
  tools?: R['tools'];
  tool_choice?: R['tool_choice'];
  parallel_tool_calls?: boolean;
  previous_response_id?: string | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rough token estimate; only needs to be deterministic and non-zero. */
const approxTokens = (value: unknown): number =>
  Math.max(1, Math.ceil((typeof value === 'string' ? value : JSON.stringify(value ?? '')).length / 4));

/** Split function-call arguments into small chunks, like the token-sized deltas the API sends. */
function chunk(text: string, size = 8): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts.length > 0 ? parts : [''];
}

export async function startFakeResponsesServer(turns: FakeTurn[]): Promise<FakeResponsesServer> {
  const requests: unknown[] = [];
  let nextTurn = 0;
  let idCounter = 0;
  const nextId = (prefix: string) => `${prefix}_fake_${String(++idCounter).padStart(4, '0')}`;

  function baseResponse(id: string, body: RequestBody): WireResponse {
    return {
      id,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status: 'in_progress',
      background: false,
      error: null,
      incomplete_details: null,
      instructions: body.instructions ?? null,
      max_output_tokens: null,
      metadata: {},
      model: body.model ?? 'gpt-4.1',
      output: [],
      parallel_tool_calls: body.parallel_tool_calls ?? true,
      previous_response_id: body.previous_response_id ?? null,
      reasoning: { effort: null, summary: null },
      temperature: 1,
      text: { format: { type: 'text' } },
      tool_choice: body.tool_choice ?? 'auto',
      tools: body.tools ?? [],
      top_p: 1,
      truncation: 'disabled',
      usage: null,
    };
  }

  /**
   * Yields the SSE events for one turn. Delays happen between deltas so tests
   * can observe incremental delivery.
   */
  async function* turnEvents(
    turn: Exclude<FakeTurn, { kind: 'error' }>,
    body: RequestBody,
  ): AsyncGenerator<UnsequencedEvent> {
    const response = baseResponse(nextId('resp'), body);
    // The real API sends `output: []` and `usage: null` until completion.
    yield { type: 'response.created', response: { ...response } };
    yield { type: 'response.in_progress', response: { ...response } };

    let item: OpenAI.Responses.ResponseOutputItem;
    let outputTokens: number;
    if (turn.kind === 'text') {
      const itemId = nextId('msg');
      const text = turn.deltas.join('');
      const common = { item_id: itemId, output_index: 0, content_index: 0 } as const;
      const emptyPart: OpenAI.Responses.ResponseOutputText = { type: 'output_text', annotations: [], logprobs: [], text: '' };
      yield {
        type: 'response.output_item.added',
        output_index: 0,
        item: { id: itemId, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
      };
      yield { type: 'response.content_part.added', ...common, part: emptyPart };
      for (const [i, delta] of turn.deltas.entries()) {
        if (i > 0 && turn.delayMs) await sleep(turn.delayMs);
        yield { type: 'response.output_text.delta', ...common, delta, logprobs: [] };
      }
      yield { type: 'response.output_text.done', ...common, text, logprobs: [] };
      const part = { ...emptyPart, text };
      yield { type: 'response.content_part.done', ...common, part };
      item = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [part] };
      outputTokens = Math.max(1, turn.deltas.length);
    } else {
      const itemId = nextId('fc');
      const common = { item_id: itemId, output_index: 0 } as const;
      const call = { id: itemId, type: 'function_call', call_id: turn.callId, name: turn.name } as const;
      yield { type: 'response.output_item.added', output_index: 0, item: { ...call, status: 'in_progress', arguments: '' } };
      for (const [i, delta] of chunk(turn.arguments).entries()) {
        if (i > 0 && turn.delayMs) await sleep(turn.delayMs);
        yield { type: 'response.function_call_arguments.delta', ...common, delta };
      }
      yield { type: 'response.function_call_arguments.done', ...common, name: turn.name, arguments: turn.arguments };
      item = { ...call, status: 'completed', arguments: turn.arguments };
      outputTokens = approxTokens(turn.arguments);
    }
    yield { type: 'response.output_item.done', output_index: 0, item };

    const inputTokens = approxTokens([body.instructions, body.input, body.tools]);
    yield {
      type: 'response.completed',
      response: {
        ...response,
        status: 'completed',
        completed_at: Math.floor(Date.now() / 1000),
        output: [item],
        usage: {
          input_tokens: inputTokens,
          input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
          output_tokens: outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: inputTokens + outputTokens,
        },
      },
    };
  }

  function sendError(res: ServerResponse, status: number, message: string): void {
    // Same envelope as the real API; the openai client turns it into an APIError subclass by status.
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': nextId('req') });
    res.end(
      JSON.stringify({
        error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null },
      }),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || (path !== '/v1/responses' && path !== '/v1/chat/completions')) {
      sendError(res, 404, `fakeResponsesServer: unsupported route ${req.method} ${path}`);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: RequestBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RequestBody;
    } catch {
      sendError(res, 400, 'fakeResponsesServer: request body is not valid JSON');
      return;
    }
    requests.push(body);

    const turn = turns[nextTurn];
    if (!turn) {
      sendError(res, 500, `fakeResponsesServer: request #${requests.length} has no scripted turn (script has ${turns.length})`);
      return;
    }
    nextTurn++;
    if (turn.kind === 'error') {
      sendError(res, turn.status, turn.message);
      return;
    }

    if (path === '/v1/chat/completions') return sendChat(res, turn, body);
    if (!body.stream) {
      // Non-streamed requests get the final response object, as the real API returns.
      let final: UnsequencedEvent | undefined;
      for await (const event of turnEvents(turn, body)) final = event;
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': nextId('req') });
      res.end(JSON.stringify(final && 'response' in final ? final.response : {}));
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': nextId('req'),
    });
    res.flushHeaders();
    let sequence = 0;
    for await (const event of turnEvents(turn, body)) {
      // A stall ends when the client closes the connection (its timeout, an abort): nothing is left to stall.
      if (turn.stall && sequence === turn.stall.after) await Promise.race([sleep(turn.stall.ms), new Promise((resolve) => res.once('close', resolve))]);
      // The client may abort mid-stream (e.g. a test breaks out of the loop).
      if (res.destroyed) return;
      if (sequence === turn.cutAfter) {
        // A dropped connection: no more bytes, no orderly end of the response.
        res.destroy();
        return;
      }
      const wire = { ...event, sequence_number: sequence++ } as WireEvent;
      // Real API frames: named event + JSON data; no `[DONE]` sentinel for Responses. Each one is on its way
      // before the next step, so a cut comes after the events before it, as it does on a real connection.
      await new Promise<void>((resolve) => res.write(`event: ${wire.type}\ndata: ${JSON.stringify(wire)}\n\n`, () => resolve()));
    }
    res.end();
  }

  async function sendChat(res: ServerResponse, turn: Exclude<FakeTurn, { kind: 'error' }>, body: RequestBody): Promise<void> {
    const id = nextId('chatcmpl');
    const model = body.model ?? 'gpt-4.1';
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': nextId('req') });
      res.end(JSON.stringify(chatCompletion(turn, id, model)));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': nextId('req') });
    res.flushHeaders();
    for await (const chunk of chatChunks(turn, id, model)) {
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    // Chat Completions streams end with a sentinel.
    res.end('data: [DONE]\n\n');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, `fakeResponsesServer: ${String(err)}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // The openai client keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
