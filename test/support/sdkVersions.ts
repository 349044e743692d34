import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The @openai/agents versions runtape supports besides the one it develops against (its devDependency):
 * the peer-dependency range covers these. The differential suite runs on each (vitest projects `sdk …`).
 */
export const OTHER_SUPPORTED_SDK_VERSIONS = ['0.18.0', '0.19.0'] as const;

/** Where a version is installed for the tests, once (kept between local runs; a fresh checkout installs it). */
export function sdkVersionDir(version: string): string {
  return join(fileURLToPath(new URL('../../node_modules/.cache/runtape-sdk-versions', import.meta.url)), version);
}

/** Resolves the SDK (and its testing entry point) to an installed version, for every module vitest loads. */
export function sdkAliases(version: string): { find: RegExp; replacement: string }[] {
  const dist = join(sdkVersionDir(version), 'node_modules/@openai/agents/dist');
  return [
    { find: /^@openai\/agents\/testing$/, replacement: join(dist, 'testing/index.mjs') },
    { find: /^@openai\/agents$/, replacement: join(dist, 'index.mjs') },
  ];
}
