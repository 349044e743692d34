import { errorMessage } from '../errors.js';
import type { RedactionSpec, SecretFinder } from './options.js';
import { Redactor } from './redactor.js';

/** Each module is imported once per thread, whatever number of runs name it. */
const finders = new Map<string, Promise<SecretFinder>>();

/**
 * A run's redactor, on the writer thread. A module that cannot be loaded, or exports no function, rejects
 * with one line saying so: the run is then not recorded at all, rather than recorded unredacted.
 */
export async function loadRedactor(spec: RedactionSpec): Promise<Redactor> {
  if (!spec.moduleUrl) return new Redactor(spec, null);
  let finder = finders.get(spec.moduleUrl);
  if (!finder) finders.set(spec.moduleUrl, (finder = importFinder(spec.moduleUrl)));
  return new Redactor(spec, await finder);
}

async function importFinder(url: string): Promise<SecretFinder> {
  let module: { default?: unknown; findSecrets?: unknown };
  try {
    module = (await import(url)) as typeof module;
  } catch (error) {
    throw new Error(`redaction module ${url} could not be loaded: ${errorMessage(error)}`);
  }
  const finder = module.findSecrets ?? module.default;
  if (typeof finder !== 'function') throw new Error(`redaction module ${url} exports no findSecrets function (default or named)`);
  return finder as SecretFinder;
}
