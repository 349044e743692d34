import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The processes some tests start as an application of runtape (test/fixtures/*Child.ts), compiled to JavaScript
 * once by the global setup, as an application ships. Run through tsx instead, each spent about 1.8 s more CPU
 * starting (4.0 s against 2.2 s: tsx's loader sees every module the SDK is made of), and the reliability tests
 * start about twenty. Each loads runtape itself from dist/ (`../../dist/index.js`): they are written two
 * directories below the repository, where that path leads to dist/ and their packages resolve from node_modules.
 */
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(REPO, '.test-build', 'fixtures');

const CHILD_SCRIPTS = ['recordingChild', 'approvalChild'] as const;

/** The compiled script of test/fixtures/<name>.ts, to run with plain `node`. */
export function childScript(name: (typeof CHILD_SCRIPTS)[number]): string {
  return join(OUT, `${name}.mjs`);
}

export async function buildChildScripts(): Promise<void> {
  await build({
    entryPoints: CHILD_SCRIPTS.map((name) => join(REPO, 'test', 'fixtures', `${name}.ts`)),
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // The SDK, better-sqlite3 and the rest load from node_modules, as the application's would.
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}
