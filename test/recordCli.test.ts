import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();
const fixture = fileURLToPath(new URL('./fixtures/scriptedAgent.ts', import.meta.url));

describe('runtape record', () => {
  it('runs the agent a TypeScript module exports, streams its text, and records the run', () => {
    const db = join(tempDir(), 'runs.db');
    const out = runCli(['record', fixture, 'a', 'poem', 'please', '--tag', 'cli'], { db });
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('Roses are red, tests are green.\n');
    expect(out.stderr).toMatch(/\[→ Poet\]/);
    expect(out.stderr).toMatch(/recorded run ([0-9a-f]{16})/);
    const [run] = JSON.parse(runCli(['ls', '--json'], { db }).stdout);
    expect(run).toMatchObject({ name: 'Router', status: 'completed', input: 'a poem please', tags: ['cli'], lastAgent: 'Poet', finalOutput: 'Roses are red, tests are green.' });
  });

  it('says clearly when the module is missing, broken, or exports no agent', () => {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    const noAgent = join(dir, 'no-agent.mjs');
    writeFileSync(noAgent, 'export const answer = 42;\n');
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, 'export const = ;\n');
    for (const [file, message] of [
      [join(dir, 'missing.ts'), /no such file/],
      [noAgent, /exports no Agent \(export it as default or as `agent`\)/],
      [broken, /cannot load .*broken\.mjs/],
    ] as const) {
      const out = runCli(['record', file], { db });
      expect(out.status).toBe(1);
      expect(out.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
    }
  });
});
