import { execFileSync } from 'node:child_process';

/** The CLI and TUI tests run the built program, as a user would: build it once before any test (`npm run build`). */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
