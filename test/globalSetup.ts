import { execFileSync } from 'node:child_process';
import { buildChildScripts } from './support/childScripts.js';

/**
 * The CLI and TUI tests run the built program, as a user would: build it once before any test (`npm run build`);
 * and the applications some tests start as processes of their own (test/support/childScripts.ts).
 */
export default async function setup(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  await buildChildScripts();
}
