import type { Agent } from '@openai/agents';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntapeError, errorMessage } from '../errors.js';

function looksLikeAgent(value: unknown): value is Agent<any, any> {
  // Duck-typed: the module may load its own copy of @openai/agents, so instanceof would say no.
  return typeof value === 'object' && value !== null && typeof (value as Agent).name === 'string' && Array.isArray((value as Agent).handoffs);
}

/** Loads an agent module (.ts through tsx, .js/.mjs natively): its default export or its `agent` export. */
export async function loadAgent(file: string): Promise<Agent<any, any>> {
  const path = resolve(file);
  if (!existsSync(path)) throw new RuntapeError(`no such file: ${file}`);
  let module: Record<string, unknown>;
  try {
    if (/\.(c|m)?tsx?$/.test(path)) {
      // Registered for the whole process rather than scoped (tsImport): a scoped import would load its own copy
      // of @openai/agents, whose Agent and Handoff the runner here would not recognise (handoffs to a
      // `handoff(...)` object then fail inside the SDK).
      const { register } = await import('tsx/esm/api');
      register();
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } else {
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    }
  } catch (error) {
    throw new RuntapeError(`cannot load ${file}: ${errorMessage(error).split('\n')[0]}`);
  }
  const candidate = [module.default, module.agent, (module.default as Record<string, unknown> | undefined)?.agent].find(looksLikeAgent);
  if (!candidate) throw new RuntapeError(`${file} exports no Agent (export it as default or as \`agent\`)`);
  return candidate;
}

/** Without an API key no trace could be exported: the SDK would only complain about it on every run. */
export async function disableTracingWithoutKey(): Promise<void> {
  if (process.env.OPENAI_API_KEY) return;
  const { setTracingDisabled } = await import('@openai/agents');
  setTracingDisabled(true);
}
