import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OTHER_SUPPORTED_SDK_VERSIONS, sdkVersionDir } from './support/sdkVersions.js';

/** Installs each other supported SDK version from the npm registry, once, for the `sdk …` test projects. */
export default function setup(): void {
  for (const version of OTHER_SUPPORTED_SDK_VERSIONS) {
    const dir = sdkVersionDir(version);
    if (existsSync(join(dir, 'node_modules/@openai/agents/package.json'))) continue;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `sdk-${version}`, private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `@openai/agents@${version}`], { cwd: dir, stdio: 'inherit' });
  }
}
