/**
 * The Chat Completions wire format for the fake server's scripted turns (`POST /v1/chat/completions`), so an
 * `OpenAIChatCompletionsModel` can be driven offline through the real `openai` client. Shapes follow the
 * installed `openai` package's types, which the compiler checks.
 */
import type OpenAI from 'openai';
import type { FakeTurn } from './fakeResponsesServer.js';

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;
type Completion = OpenAI.Chat.Completions.ChatCompletion;
type ScriptedTurn = Exclude<FakeTurn, { kind: 'error' }>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The streamed chunks of one turn: the deltas (text, or a tool call's arguments), the finish, then the usage. */
export async function* chatChunks(turn: ScriptedTurn, id: string, model: string): AsyncGenerator<Chunk> {
  const chunk = (delta: Chunk['choices'][number]['delta'], finish: Chunk['choices'][number]['finish_reason'] = null): Chunk => ({
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  if (turn.kind === 'text') {
    for (const [i, delta] of turn.deltas.entries()) {
      if (i > 0 && turn.delayMs) await sleep(turn.delayMs);
      yield chunk(i === 0 ? { role: 'assistant', content: delta } : { content: delta });
    }
    yield chunk({}, 'stop');
  } else {
    yield chunk({ role: 'assistant', tool_calls: [{ index: 0, id: turn.callId, type: 'function', function: { name: turn.name, arguments: '' } }] });
    yield chunk({ tool_calls: [{ index: 0, function: { arguments: turn.arguments } }] });
    yield chunk({}, 'tool_calls');
  }
  yield { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [], usage: usageOf(turn) };
}

/** The whole completion of one turn, for a non-streamed request. */
export function chatCompletion(turn: ScriptedTurn, id: string, model: string): Completion {
  const message: Completion['choices'][number]['message'] =
    turn.kind === 'text'
      ? { role: 'assistant', content: turn.deltas.join(''), refusal: null }
      : { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: turn.callId, type: 'function', function: { name: turn.name, arguments: turn.arguments } }] };
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: turn.kind === 'text' ? 'stop' : 'tool_calls', logprobs: null }],
    usage: usageOf(turn),
  };
}

function usageOf(turn: ScriptedTurn): OpenAI.CompletionUsage {
  const completion = turn.kind === 'text' ? turn.deltas.length : Math.ceil(turn.arguments.length / 4);
  return { prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion };
}
