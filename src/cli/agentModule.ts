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
    // tsx is registered for the whole process, not scoped (`tsImport` would load the module and everything it
    // imports, @openai/agents included, as separate copies): the module must get the recorder's SDK instance, or its
    // setDefaultOpenAIClient, providers and processors would never reach the recorded run, and its handoff()
    // objects would not be recognised by the runner. The CommonJS hook too, for a .ts module in a package
    // without "type": "module" (tsx loads it as CommonJS).
    if (/\.(c|m)?tsx?$/.test(path)) {
      (await import('tsx/cjs/api')).register();
      (await import('tsx/esm/api')).register();
    }
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
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
