/** `runtape rerun` as a user runs it: the built CLI, a recorded run in a real database, an application module. */
import { Runner, setTracingDisabled } from '@openai/agents';
import { ScriptedModel, type ScriptedModelInput } from '@openai/agents/testing';
import { realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { RecordingRunner, openStore, recordedRunId, recordingStored } from '../../src/index.js';
import { expectOneLineError, runCli } from '../support/cli.js';
import { ORDERS_ANSWER, ORDERS_QUESTION, ordersApp, scriptedOrdersProvider } from '../support/ordersApp.js';
import { useSharedTempDir } from '../support/tempDb.js';

const tempDir = useSharedTempDir();
const MODULE = fileURLToPath(new URL('../fixtures/ordersAgent.ts', import.meta.url));
/** Each test starts the CLI, which compiles the module with tsx: slow on a loaded machine. */
const CLI_TIMEOUT_MS = 120_000;
let dbPath: string;
let sourceId: string;

beforeAll(async () => {
  setTracingDisabled(true);
  dbPath = join(tempDir(), 'runs.db');
  const store = await openStore(dbPath);
  const result = await new RecordingRunner({ modelProvider: scriptedOrdersProvider() }, { db: store, name: 'orders' }).run(ordersApp().triage, ORDERS_QUESTION, {
    stream: true,
  });
  for await (const _ of result);
  await recordingStored(result);
  sourceId = recordedRunId(result)!;
  await store.close();
});

interface RerunReport {
  source: string;
  run: string;
  equal: boolean;
  diverged: boolean;
  differences: { call: number | null; agent: string | null; field: string; a: unknown; b: unknown }[];
}

it('re-runs the unchanged application: no differences, exit 0, and the new run is equal to the source for diff too', () => {
  const result = runCli(['rerun', sourceId, '--module', MODULE, '--json'], { db: dbPath });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const report = JSON.parse(result.stdout) as RerunReport;
  expect(report).toMatchObject({ source: sourceId, equal: true, diverged: false, differences: [] });
  expect(runCli(['diff', sourceId, report.run], { db: dbPath }).status).toBe(0);
}, CLI_TIMEOUT_MS);

it('strict: changed instructions stop the re-run at the call, which the report names (exit 1)', () => {
  const result = runCli(['rerun', sourceId, '--module', MODULE], { db: dbPath, env: { ORDERS_INSTRUCTIONS: 'You are Orders. Be terse.' } });
  expect(result.status).toBe(1);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(new RegExp(`^re-ran run ${sourceId.slice(0, 8)} as run [0-9a-f]{8} \\(strict\\): diverged at call 2, where the run stopped$`));
  expect(lines[1]).toBe('  call 2 (agent Orders): instructions differ: recorded "You are Orders; today is day 42." now "You are Orders. Be terse."');
}, CLI_TIMEOUT_MS);

it('sequence: a tool whose code changed runs to the end, and the report shows its new output (exit 1)', () => {
  const result = runCli(['rerun', sourceId, '--module', MODULE, '--match', 'sequence', '--json'], { db: dbPath, env: { ORDERS_LOOKUP: 'order 1234: lost' } });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(1);
  const report = JSON.parse(result.stdout) as RerunReport;
  expect(report.diverged).toBe(false);
  // The tool's new output, and the next call's input, which carries it back to the model.
  expect(report.differences.map((d) => [d.call, d.agent, d.field])).toEqual([
    [2, 'Orders', 'toolOutputs'],
    [3, 'Orders', 'input'],
  ]);
  expect(report.differences[0]).toMatchObject({
    a: [{ name: 'lookup_order', output: 'order 1234: shipped yesterday, arrives Friday' }],
    b: [{ name: 'lookup_order', output: 'order 1234: lost' }],
  });
  // The input item that differs: the tool's output as the model was sent it.
  expect(report.differences[1]).toMatchObject({ a: { type: 'function_call_result', callId: 'call_lookup_1' }, b: { type: 'function_call_result', callId: 'call_lookup_1' } });
  expect(JSON.stringify(report.differences[1]!.b)).toContain('order 1234: lost');
}, CLI_TIMEOUT_MS);

it('refuses a bad --match in one line, exit 2', () => {
  const result = runCli(['rerun', sourceId, '--module', MODULE, '--match', 'loose'], { db: dbPath });
  expectOneLineError(result, /--match: expected strict or sequence \(got "loose"\)/);
  expect(result.status).toBe(2);
}, CLI_TIMEOUT_MS);

it("re-runs the demo's runs with the demo's agents (examples/support-desk.ts): no differences", () => {
  const db = join(tempDir(), 'demo.db');
  const demo = runCli(['demo', '--pace', '0', '--quiet'], { db, timeoutMs: CLI_TIMEOUT_MS });
  expect(demo.status).toBe(0);
  const runs = JSON.parse(runCli(['ls', '--json'], { db }).stdout) as { id: string }[];
  expect(runs).toHaveLength(3);
  const supportDesk = fileURLToPath(new URL('../../examples/support-desk.ts', import.meta.url));
  for (const { id } of runs) {
    const result = runCli(['rerun', id, '--module', supportDesk, '--json'], { db, timeoutMs: CLI_TIMEOUT_MS });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ source: id, equal: true, differences: [] });
    expect(result.status).toBe(0);
  }
}, 3 * CLI_TIMEOUT_MS);

it("runtape script prints the run's model turns as ScriptedModel steps that play the run again", async () => {
  const result = runCli(['script', sourceId], { db: dbPath });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  // The printed module, where an application would keep it: beside its own node_modules.
  const dir = tempDir();
  symlinkSync(realpathSync(fileURLToPath(new URL('../../node_modules', import.meta.url))), join(dir, 'node_modules'));
  const file = join(dir, 'ordersTurns.ts');
  writeFileSync(file, result.stdout);
  const { turns } = (await import(file)) as { turns: Record<string, ScriptedModelInput[]> };
  expect(Object.keys(turns)).toEqual(['Triage', 'Orders']);

  const app = ordersApp({ model: new ScriptedModel(turns.Orders) });
  app.triage.model = new ScriptedModel(turns.Triage);
  const run = await new Runner().run(app.triage, ORDERS_QUESTION, { stream: true });
  for await (const _ of run);
  expect(run.finalOutput).toBe(ORDERS_ANSWER);
  expect(app.lookups).toEqual(['1234']);
}, CLI_TIMEOUT_MS);
