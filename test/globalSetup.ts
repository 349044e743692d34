import { execFileSync } from 'node:child_process';

/** The CLI and TUI tests run the built program, as a user would: build it once before any test. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
}
