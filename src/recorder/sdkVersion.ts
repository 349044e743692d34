import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null | undefined;

/** The installed @openai/agents version, read once from its package.json (its exports map hides the file). */
export function agentsSdkVersion(): string | null {
  if (cached !== undefined) return cached;
  try {
    let dir = dirname(fileURLToPath(import.meta.resolve('@openai/agents')));
    for (let i = 0; i < 5 && cached === undefined; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === '@openai/agents') cached = pkg.version ?? null;
      } catch {
        // no package.json at this level; look one up
      }
    }
  } catch {
    // not resolvable from here
  }
  cached ??= null;
  return cached;
}
