import type { ModelCallRecord, ToolOffer } from '../capture/types.js';

/** A tool as offered to the model, a handoff's tool among them (e.g. `transfer_to_Orders`, leading to `agent`). */
export interface OfferedTool extends ToolOffer {
  agent?: string;
}

/** A model call as `runtape calls --json` shows it: `tools` lists every tool the model was offered, handoffs too. */
export type ModelCallView = Omit<ModelCallRecord, 'tools'> & { tools: OfferedTool[] };

export function modelCallView(record: ModelCallRecord): ModelCallView {
  const handoffTools: OfferedTool[] = record.handoffs.map((h) => ({
    type: 'handoff',
    name: h.toolName,
    description: h.toolDescription,
    ...(h.inputJsonSchema !== undefined ? { parameters: h.inputJsonSchema } : {}),
    ...(h.strict !== undefined ? { strict: h.strict } : {}),
    agent: h.agent,
  }));
  const { call, agent, model, instructions, input, handoffs, settings, outputType, responseId, previousResponseId, conversationId } = record;
  const { usage, startUs, endUs, ttftUs, firstSeq, lastSeq, attempts, error } = record;
  return {
    call, agent, model, instructions, input, tools: [...record.tools, ...handoffTools], handoffs, settings, outputType,
    responseId, previousResponseId, conversationId, usage, startUs, endUs, ttftUs, firstSeq, lastSeq, attempts, error,
  };
}

/** The tokens a call used, as its usage reports them (the SDK's names, or the wire's). */
export function callTokens(usage: unknown): { input: number | null; output: number | null } {
  const u = (usage ?? {}) as { inputTokens?: unknown; outputTokens?: unknown; input_tokens?: unknown; output_tokens?: unknown };
  const number = (...values: unknown[]) => (values.find((v) => typeof v === 'number') as number | undefined) ?? null;
  return { input: number(u.inputTokens, u.input_tokens), output: number(u.outputTokens, u.output_tokens) };
}

/** A conversation item in one line: who said what, or which tool was called with what. */
export function describeItem(item: unknown): string {
  if (typeof item !== 'object' || item === null) return JSON.stringify(item) ?? String(item);
  const i = item as { type?: string; role?: string; content?: unknown; name?: string; arguments?: string; callId?: string; output?: unknown };
  if (i.role !== undefined && (i.type === undefined || i.type === 'message')) return `${i.role}: ${contentText(i.content)}`;
  if (i.type === 'function_call') return `${i.type} ${i.name ?? '?'}(${i.arguments ?? ''})${i.callId ? ` [${i.callId}]` : ''}`;
  if (i.type === 'function_call_result') return `${i.type} ${i.name ?? ''}${i.callId ? ` [${i.callId}]` : ''}: ${contentText(i.output)}`;
  return `${i.type ?? 'item'}: ${JSON.stringify(item)}`;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'object' && part !== null && 'text' in part ? String(part.text) : JSON.stringify(part))).join(' ');
  if (typeof content === 'object' && content !== null && 'text' in content) return String(content.text);
  return JSON.stringify(content) ?? '';
}
