import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntapeError } from '../errors.js';

/** What runtape uses of the `openai` package: the factory its client makes an HTTP error with. */
export interface OpenAIErrors {
  APIError: { generate(status: number | undefined, errorResponse: unknown, message: string | undefined, headers: Headers | undefined): Error };
}

/** The ESM conditions Node resolves an `import` with. */
const IMPORT_CONDITIONS = new Set(['node', 'import', 'default']);

let loaded: Promise<OpenAIErrors> | undefined;

/**
 * The `openai` package the application's SDK talks through: the one `@openai/agents-openai` imports, found
 * from where that package is (the SDK runtape itself imports), as Node resolves an `import` of it. Its error
 * classes are the ones the application's `instanceof` checks know; runtape carries no copy of its own.
 */
export function applicationOpenAI(): Promise<OpenAIErrors> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<OpenAIErrors> {
  try {
    const sdk = createRequire(import.meta.url).resolve('@openai/agents');
    const openaiProvider = createRequire(sdk).resolve('@openai/agents-openai');
    const root = packageRoot(createRequire(openaiProvider).resolve('openai'), 'openai');
    const module = (await import(pathToFileURL(join(root, importEntry(root))).href)) as Partial<OpenAIErrors>;
    if (typeof module.APIError?.generate !== 'function') throw new Error(`${root} exports no APIError.generate`);
    return module as OpenAIErrors;
  } catch (error) {
    loaded = undefined;
    throw new RuntapeError(`a serverError fault needs the openai package the application's SDK uses: ${(error as Error).message}`);
  }
}

/** The folder of the package named `name` that holds `file` (a `require` resolution of it). */
function packageRoot(file: string, name: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === name) return dir;
    } catch {
      // no package.json here: look further up
    }
  }
  throw new Error(`no package ${name} above ${file}`);
}

/** The file an `import` of the package itself loads: its exports' `.` entry under Node's import conditions, else its main. */
function importEntry(root: string): string {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports?: unknown; main?: string };
  const exported = manifest.exports;
  const dot = typeof exported === 'object' && exported !== null && '.' in exported ? (exported as Record<string, unknown>)['.'] : exported;
  return (dot === undefined ? undefined : conditional(dot)) ?? manifest.main ?? 'index.js';
}

function conditional(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map(conditional).find((found) => found !== undefined);
  if (typeof target !== 'object' || target === null) return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (!IMPORT_CONDITIONS.has(condition)) continue;
    const found = conditional(value);
    if (found !== undefined) return found;
  }
  return undefined;
}
