/**
 * `runtape/testing`'s fixtures as an application's suite uses them: a test's run recorded through the real
 * `openai` client against the local Responses API into a temporary fixture folder (the mode set explicitly),
 * then, the server stopped and the client pointed at its dead port, replayed from the fixture alone. Under
 * vitest here, and in a `node --test` file run as a child process against the built package.
 */
import { setDefaultOpenAIClient, setTracingDisabled } from '@openai/agents';
import OpenAI from 'openai';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';
import { DivergenceError, fixtureFile, openFixture, rerunDivergences } from '../../src/testing.js';
import { startFakeResponsesServer, type FakeResponsesServer, type FakeTurn } from '../support/fakeResponsesServer.js';
import { ORDERS_ANSWER, ORDERS_QUESTION, ordersApp, scriptedOrdersProvider } from '../support/ordersApp.js';
import { useTempDir } from '../support/tempDb.js';
import { drain } from '../support/drain.js';

const tempDir = useTempDir();
const NODE_TEST_FILE = fileURLToPath(new URL('../fixtures/fixtureNodeTest.mjs', import.meta.url));
const BUILT_TESTING = pathToFileURL(fileURLToPath(new URL('../../dist/testing.js', import.meta.url))).href;
const ORDERS_TURNS: FakeTurn[] = [
  { kind: 'function_call', name: 'transfer_to_Orders', arguments: '{}', callId: 'call_handoff_1' },
  { kind: 'function_call', name: 'lookup_order', arguments: '{"order":"1234"}', callId: 'call_lookup_1' },
  { kind: 'text', deltas: ['Order 1234 ', 'shipped yesterday; ', 'it arrives Friday.'] },
];
const SECRET = 'ACME-20261130';
const redact = { values: [/ACME-\d{8}/] };

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The application of the re-run tests, with short instructions for Orders (the divergence names them). */
const agents = (instructions = 'You are Orders.') => ordersApp({ instructions });

async function live(): Promise<FakeResponsesServer> {
  setTracingDisabled(true);
  const server = await startFakeResponsesServer(ORDERS_TURNS);
  setDefaultOpenAIClient(new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 }));
  return server;
}

/** Stops the server; the client keeps its address, where nothing answers now: a live call would fail. */
async function offline(server: FakeResponsesServer): Promise<void> {
  await server.close();
  setDefaultOpenAIClient(new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 }));
}

const question = `Where is my order 1234? My reference is ${SECRET}.`;

it('records a test run into its fixture (redacted), then replays it with no network; a changed agent diverges', async () => {
  const dir = tempDir();
  const name = expect.getState().currentTestName!;
  const server = await live();

  const recording = await openFixture(name, { dir, mode: 'record', redact });
  expect(recording.mode).toBe('record');
  const recorded = agents();
  const first = await recording.runner().run(recorded.triage, question, { stream: true });
  expect(await drain(first)).toBeUndefined();
  expect(first.finalOutput).toBe(ORDERS_ANSWER);
  await recording.close();
  expect(server.requests).toHaveLength(3);

  // One JSONL file, named from the test, in the export format; the secret masked, no machine named.
  expect(readdirSync(dir)).toEqual([basename(recording.file)]);
  expect(basename(recording.file)).toMatch(/^records-a-test-run-into-its-fixture-redacted-then-replays-it-with-no-network-[a-z-]*[a-z]-[0-9a-f]{8}\.jsonl$/);
  const text = readFileSync(recording.file, 'utf8');
  expect(text).not.toContain(SECRET);
  expect(text).toContain('[redacted]');
  const header = JSON.parse(text.split('\n')[0]!) as { format: string; version: number; run: { host: unknown; pid: unknown; name: string } };
  expect(header).toMatchObject({ format: 'runtape-run', version: 2, run: { host: null, pid: null, name } });

  await offline(server);
  const replaying = await openFixture(name, { dir, mode: 'replay', redact });
  const app = agents();
  const replayed = await replaying.runner().run(app.triage, question, { stream: true });
  expect(await drain(replayed)).toBeUndefined();
  expect(replayed.finalOutput).toBe(ORDERS_ANSWER);
  // The application's tool ran again; the request held the secret, compared as the fixture holds it.
  expect(app.lookups).toEqual(['1234']);
  await replaying.close();

  const changed = await openFixture(name, { dir, mode: 'replay', redact });
  const error = await drain(await changed.runner().run(agents('You are Orders. Be terse.').triage, question, { stream: true }));
  expect(error).toBeInstanceOf(DivergenceError);
  expect((error as Error).message).toBe('call 2 (agent Orders): instructions differ: recorded "You are Orders." now "You are Orders. Be terse."');
  // The fixture is read, never written, by a replay.
  expect(readFileSync(recording.file, 'utf8')).toBe(text);
});

it("auto records a missing fixture and replays one that exists; under CI=true a missing one fails in one line naming the file", async () => {
  const dir = tempDir();
  const name = expect.getState().currentTestName!;
  vi.stubEnv('RUNTAPE_FIXTURES', '');
  vi.stubEnv('CI', 'true');
  const missing = await openFixture(name, { dir }).then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  expect(missing?.message).toMatch(/^no fixture \S+\/auto-records-a-missing-fixture-[^ ]*-[0-9a-f]{8}\.jsonl for test "auto records .*" \(CI=true replays\): record it with mode 'record' or RUNTAPE_FIXTURES=record$/);
  // The file as the user's shell would name it: relative to where the tests run.
  expect(missing?.message).toContain(`no fixture ${relative(process.cwd(), fixtureFile(dir, name))} for test`);
  expect(existsSync(dir) && readdirSync(dir)).toEqual([]);

  vi.stubEnv('CI', '');
  const first = await openFixture(name, { dir });
  expect(first.mode).toBe('record');
  const result = await first.runner({ modelProvider: scriptedOrdersProvider() }).run(ordersApp().triage, ORDERS_QUESTION, { stream: true });
  await drain(result);
  await first.close();
  const second = await openFixture(name, { dir });
  expect(second.mode).toBe('replay');
  // Replays now find it under CI too.
  vi.stubEnv('CI', 'true');
  expect((await openFixture(name, { dir })).mode).toBe('replay');
});

it("a test's runs replay in order, each from its own runner; sequence collects differences; more runs than recorded fail in one line", async () => {
  const dir = tempDir();
  const name = expect.getState().currentTestName!;
  const recording = await openFixture(name, { dir, mode: 'record' });
  for (const question of [ORDERS_QUESTION, 'And order 1234 again?']) {
    await drain(await recording.runner({ modelProvider: scriptedOrdersProvider() }).run(ordersApp().triage, question, { stream: true }));
  }
  await recording.close();

  const replaying = await openFixture(name, { dir, mode: 'replay', match: 'sequence' });
  const firstRun = await replaying.runner().run(ordersApp().triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(firstRun)).toBeUndefined();
  expect(rerunDivergences(firstRun)).toEqual([]);
  const runner = replaying.runner();
  const secondRun = await runner.run(ordersApp().triage, 'And order 1234 again?', { stream: true });
  expect(await drain(secondRun)).toBeUndefined();
  expect(rerunDivergences(secondRun)).toEqual([]);
  await expect(runner.run(ordersApp().triage, ORDERS_QUESTION)).rejects.toThrow("a fixture's runner runs one run: ask the fixture for a runner for each run");
  expect(() => replaying.runner()).toThrow(/^fixture \S+\.jsonl holds 2 run\(s\); this test's run 3 is not in it: record it again \(mode 'record'\)$/);

  // A damaged line in the second run is reported by its line in the file (a run this process holds already
  // is not read again: the damaged one gets an id of its own).
  const lines = readFileSync(recording.file, 'utf8').split('\n');
  const secondHeader = lines.findIndex((line, i) => i > 0 && line.startsWith('{"format"'));
  const header = JSON.parse(lines[secondHeader]!) as { run: { id: string } };
  header.run.id = 'bad0000000000001';
  lines[secondHeader] = JSON.stringify(header);
  lines[secondHeader + 2] = '{"seq": 1, "t_us"';
  const broken = fixtureFile(dir, 'broken');
  writeFileSync(broken, lines.join('\n'));
  await expect(openFixture('broken', { dir, mode: 'replay' })).rejects.toThrow(
    `${broken}:${secondHeader + 3}: not valid JSON (truncated or corrupted line); nothing was imported`,
  );
});

it('a node:test file records its fixture (RUNTAPE_FIXTURES=record), then replays it under CI=true with the server gone, on the built package', async () => {
  const dir = tempDir();
  const server = await startFakeResponsesServer(ORDERS_TURNS);
  const env = (mode: Record<string, string>) => {
    const vars: NodeJS.ProcessEnv = { ...process.env, RUNTAPE_TESTING_URL: BUILT_TESTING, FAKE_OPENAI_URL: server.url, FIXTURE_DIR: dir, OPENAI_AGENTS_DISABLE_TRACING: '1', ...mode };
    delete vars.RUNTAPE_DB;
    delete vars.OPENAI_API_KEY;
    delete vars.NODE_OPTIONS;
    return vars;
  };
  // Not spawnSync: this process serves the fake API the child calls.
  const nodeTest = (mode: Record<string, string>) =>
    new Promise<{ status: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--test', NODE_TEST_FILE], { env: env(mode), cwd: dir, timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.once('error', reject);
      child.once('close', (status) => resolve({ status, output }));
    });

  const recorded = await nodeTest({ RUNTAPE_FIXTURES: 'record', EXPECTED_MODE: 'record', CI: '' });
  expect(recorded.output).toMatch(/# pass 2\n/);
  expect(recorded.status).toBe(0);
  expect(server.requests).toHaveLength(3);
  // Named from node:test's full name: the suite, then the test.
  expect(readdirSync(dir)).toEqual([expect.stringMatching(/^orders-answers-where-an-order-is-[0-9a-f]{8}\.jsonl$/)]);

  await server.close();
  const replayed = await nodeTest({ CI: 'true', EXPECTED_MODE: 'replay', RUNTAPE_FIXTURES: '' });
  expect(replayed.output).toMatch(/# pass 2\n/);
  expect(replayed.status).toBe(0);
  // No database in the application's folder: its fixtures are all it keeps.
  expect(readdirSync(dir)).toHaveLength(1);
}, 180_000);
