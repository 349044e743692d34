import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * What a recording redacts, beyond what it always redacts (API keys, authorization headers: see
 * `builtInSecrets.ts`). Applied on the writer thread before anything of the run is stored.
 */
export interface RedactOptions {
  /**
   * Object keys whose values are never stored (a string, number or boolean there is masked; an object there is
   * searched like any other). A string matches a key equal to it, ignoring case; a RegExp is tested against
   * the key. E.g. `['password', /session[_-]?token/i]`.
   */
  keys?: (string | RegExp)[];
  /** Patterns of secret values, redacted wherever they appear in a stored string or in streamed text. */
  values?: RegExp[];
  /**
   * Path of a JavaScript module (relative to the working directory) whose default export (or `findSecrets`)
   * is a `SecretFinder`. A module and not a function, because the writer thread loads it: a closure cannot
   * cross to a thread.
   */
  module?: string;
}

/** Where the secrets are in a piece of text: `[start, end)` spans. Must be a pure function of `text`. */
export type SecretFinder = (text: string) => Iterable<readonly [start: number, end: number]>;

/** The options as they travel to the writer thread with the run's creation (structured-cloneable). */
export interface RedactionSpec {
  keys: (string | RegExp)[];
  values: RegExp[];
  /** The module's absolute file URL. */
  moduleUrl: string | null;
}

export function redactionSpecOf(options: RedactOptions | undefined): RedactionSpec {
  const module = options?.module;
  return {
    keys: options?.keys ?? [],
    values: options?.values ?? [],
    moduleUrl: module ? pathToFileURL(isAbsolute(module) ? module : resolve(module)).href : null,
  };
}
