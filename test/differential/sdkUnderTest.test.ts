import { Runner } from '@openai/agents';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { sdkVersionDir } from '../support/sdkVersions.js';

/** Each `sdk …` project names the version it runs; the others run the project's own. */
const version = process.env.RUNTAPE_SDK_UNDER_TEST;

it(`runs the differential suite on @openai/agents ${version ?? '(the project\'s own)'}`, async () => {
  const root = version ? join(sdkVersionDir(version), 'node_modules') : join(import.meta.dirname, '../../node_modules');
  const installed = (await import(pathToFileURL(join(root, '@openai/agents/dist/index.mjs')).href)) as { Runner: unknown };
  const metadata = (await import(pathToFileURL(join(root, '@openai/agents/dist/metadata.mjs')).href)) as { METADATA: { version: string } };
  // The SDK every module of the suite imports (runtape's own included) is that installation's.
  expect(Runner).toBe(installed.Runner);
  if (version) expect(metadata.METADATA.version).toBe(version);
});
