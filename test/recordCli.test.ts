import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, runCliAll, runCliAsync } from './support/cli.js';
import { startFakeResponsesServer, type FakeResponsesServer } from './support/fakeResponsesServer.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();
const fixture = fileURLToPath(new URL('./fixtures/scriptedAgent.ts', import.meta.url));
const clientFixture = fileURLToPath(new URL('./fixtures/fakeServerAgent.ts', import.meta.url));
let server: FakeResponsesServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

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

  it("shares the SDK with a TypeScript module: the module's setDefaultOpenAIClient is the client the recorded run uses", async () => {
    server = await startFakeResponsesServer([{ kind: 'text', deltas: ['Hello ', 'from the ', 'fake server.'] }]);
    const db = join(tempDir(), 'runs.db');
    // No OPENAI_API_KEY: only the module's own client (pointing at the fake server) can answer.
    const env = { FAKE_OPENAI_URL: server.url, OPENAI_API_KEY: '' };
    const out = await runCliAsync(['record', clientFixture, 'hi'], { db, env });
    expect(out.stderr).not.toMatch(/Missing credentials/);
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('Hello from the fake server.\n');
    expect(server.requests).toHaveLength(1);
    const [run] = JSON.parse(runCli(['ls', '--json'], { db }).stdout);
    expect(run).toMatchObject({ name: 'Client Agent', status: 'completed', input: 'hi', finalOutput: 'Hello from the fake server.' });
  });

  it('records a TypeScript module of a CommonJS package, warning once that its SDK instance is not the recorder\'s', () => {
    const db = join(tempDir(), 'runs.db');
    const out = runCli(['record', fileURLToPath(new URL('./fixtures/commonjs/agent.ts', import.meta.url))], { db });
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('Loaded as CommonJS.\n');
    expect(out.stderr.split('\n').filter((line) => line.includes('warning'))).toEqual([expect.stringMatching(/uses another instance of @openai\/agents/)]);
    expect(JSON.parse(runCli(['ls', '--json'], { db }).stdout)).toMatchObject([{ name: 'CommonJS Agent', status: 'completed' }]);
  });

  it('says clearly when the module is missing, broken, or exports no agent', async () => {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    const noAgent = join(dir, 'no-agent.mjs');
    writeFileSync(noAgent, 'export const answer = 42;\n');
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, 'export const = ;\n');
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.ts'), /no such file/],
      [noAgent, /exports no Agent \(export it as default or as `agent`\)/],
      [broken, /cannot load .*broken\.mjs/],
    ];
    const outs = await runCliAll(cases.map(([file]) => ['record', file]), { db });
    for (const [i, [, message]] of cases.entries()) {
      expect(outs[i].status).toBe(1);
      expect(outs[i].stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
    }
  });
});
