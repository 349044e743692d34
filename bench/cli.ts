import { execFileSync } from 'node:child_process';
import { copyFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Compiles src/ into `dir` and returns the path of its `runtape` entry point: the CLI as users run it, built
 * from the sources being measured, without rewriting the dist/ that tests running meanwhile are using.
 */
export function buildCli(dir: string): string {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', join(dir, 'dist')], {
    stdio: 'inherit',
  });
  // What dist/ finds next to it in the repository: package.json (version, "type": "module"), node_modules.
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return join(dir, 'dist/cli/main.js');
}
