import type { StreamEvent, StreamEventResponseCompleted } from '@openai/agents';
import {
  assistantMessage,
  functionCall,
  modelStreamResponder,
  type RecordedModelCall,
  type ScriptedModelInput,
} from '@openai/agents/testing';
import type { IdSource } from './ids.js';
import type { Pacer } from './pacing.js';

/** What the scripted model "says" in one turn, in the order a Responses model emits it. */
export interface TurnScript {
  /** Reasoning summary, emitted as a `reasoning` item; the model also "thinks" for a while first. */
  reasoning?: string;
  /** Assistant text, streamed as `output_text_delta`s. */
  text?: string;
  /** Function-tool or handoff calls, emitted after the text. */
  calls?: readonly ScriptedCall[];
}

export interface ScriptedCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** The items a finished response carries (narrower than AgentOutputItem). */
type ResponseOutput = StreamEventResponseCompleted['response']['output'];

export interface TurnContext {
  pacer: Pacer;
  ids: IdSource;
}

// Latencies (ms, at pace 1) modelled on a small hosted model streaming over the Responses API.
const REQUEST_LATENCY_MS = 120; // request sent -> response.created
const FIRST_TOKEN_MS = 320; // response.created -> first text delta
const TOKEN_MS = 35; // between text deltas
const TOKEN_JITTER = 0.6;
const SENTENCE_PAUSE_MS = 90; // models visibly hesitate at sentence and line breaks
const REASONING_MS_PER_WORD = 25;
const ARGUMENT_MS_PER_CHAR = 3; // call arguments stream too, just not as text deltas

/** Rough tokenizer ratio; only used to make usage figures plausible. */
const CHARS_PER_TOKEN = 4;
/** Hidden reasoning is several times longer than the summary the API returns. */
const REASONING_TOKENS_PER_SUMMARY_TOKEN = 3;

/** One model turn as a ScriptedModel step that streams with realistic, paced timing. */
export function scriptedTurn(script: TurnScript, { pacer, ids }: TurnContext): ScriptedModelInput {
  // Ids are drawn now rather than while streaming, so they do not depend on timing or pace.
  const responseId = ids('resp');
  const output = buildOutput(script, ids);
  // A responder (rather than a fixed stream) sees the request, so input usage can reflect it.
  return modelStreamResponder((call) => streamTurn(script, responseId, output, call, pacer));
}

function buildOutput(script: TurnScript, ids: IdSource): ResponseOutput {
  const output: ResponseOutput = [];
  if (script.reasoning !== undefined) {
    output.push({
      type: 'reasoning',
      id: ids('rs'),
      content: [{ type: 'input_text', text: script.reasoning }],
    });
  }
  if (script.text !== undefined) {
    output.push(assistantMessage(script.text, { id: ids('msg') }));
  }
  for (const call of script.calls ?? []) {
    output.push(functionCall(call.name, call.arguments, { callId: ids('call'), id: ids('fc') }));
  }
  return output;
}

async function* streamTurn(
  script: TurnScript,
  responseId: string,
  output: ResponseOutput,
  call: RecordedModelCall,
  pacer: Pacer,
): AsyncGenerator<StreamEvent> {
  await pacer.wait(REQUEST_LATENCY_MS);
  yield { type: 'response_started' };

  if (script.reasoning !== undefined) {
    await pacer.wait(wordCount(script.reasoning) * REASONING_MS_PER_WORD);
  }

  if (script.text !== undefined) {
    const itemId = output.find((item) => item.type === 'message')?.id;
    await pacer.wait(FIRST_TOKEN_MS);
    let previous: string | undefined;
    for (const delta of splitTokens(script.text)) {
      if (previous !== undefined) {
        const pause = /[.!?:]$|\n/.test(previous) ? SENTENCE_PAUSE_MS : 0;
        await pacer.wait(TOKEN_MS + pause, TOKEN_JITTER);
      }
      yield { type: 'output_text_delta', itemId, delta };
      previous = delta;
    }
  }

  const argumentChars = (script.calls ?? []).reduce(
    (sum, c) => sum + JSON.stringify(c.arguments).length,
    0,
  );
  if (argumentChars > 0) await pacer.wait(argumentChars * ARGUMENT_MS_PER_CHAR);

  yield {
    type: 'response_done',
    response: { id: responseId, usage: estimateUsage(script, call), output },
  };
}

/** Word-ish tokens with their leading whitespace, so the deltas join back into the exact text. */
function splitTokens(text: string): string[] {
  return text.match(/\s*(?:\w+|[^\w\s]+)|\s+$/g) ?? [];
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function estimateUsage(script: TurnScript, call: RecordedModelCall) {
  const { systemInstructions, input, tools, handoffs } = call.request;
  const inputTokens = estimateTokens(JSON.stringify({ systemInstructions, input, tools, handoffs }));
  const reasoningTokens =
    estimateTokens(script.reasoning ?? '') * REASONING_TOKENS_PER_SUMMARY_TOKEN;
  const outputTokens =
    reasoningTokens +
    estimateTokens(script.text ?? '') +
    estimateTokens(JSON.stringify(script.calls?.map((c) => c.arguments) ?? ''));
  return {
    requests: 1,
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    outputTokensDetails: { reasoning_tokens: reasoningTokens },
  };
}
