import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OTHER_SUPPORTED_SDK_VERSIONS, sdkVersionDir } from './support/sdkVersions.js';

/** The `openai` runtape's own install pins (package.json): every 7.x requires Node 22. */
const OPENAI = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { devDependencies: { openai: string } }).devDependencies.openai;

/**
 * Installs each other supported SDK version from the npm registry, once, for the `sdk …` test projects, with the
 * same `openai` as runtape's own install (overriding the SDK's dependency on it, as package.json does).
 */
export default function setup(): void {
  for (const version of OTHER_SUPPORTED_SDK_VERSIONS) {
    const dir = sdkVersionDir(version);
    if (existsSync(join(dir, 'node_modules/@openai/agents/package.json'))) continue;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `sdk-${version}`, private: true, overrides: { openai: OPENAI } }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `@openai/agents@${version}`], { cwd: dir, stdio: 'inherit' });
  }
}
