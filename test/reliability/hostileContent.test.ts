import { Agent, handoff, tool, type RunStreamEvent } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall } from '@openai/agents/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecordingRunner, openStore, recordedRunId, recordingStored, replay } from '../../src/index.js';
import { runCli } from '../support/cli.js';
import { allEvents } from '../support/sqlite.js';
import { streamedTurn } from '../support/scriptedTurns.js';
import { useSharedTempDir, useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();
const sharedDir = useSharedTempDir();

/** Terminal controls: clear screen, set title, a hyperlink, 8-bit CSI, NUL, BEL, DEL, bidi override. */
const ESCAPES = 'a\x1b[2Jb \x1b]0;pwned title\x07 \x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x9b31m red \x00nul\x07 \x7f \u202egnp.exe';
const LONE_SURROGATES = 'half \ud800 a pair and \udc00 the other half';
const TEN_MB = 'x'.repeat(10 * 1024 * 1024 - 20) + ESCAPES.slice(0, 20);

/** `{"d":{"d":…{"leaf":…}}}`, `depth` objects deep. */
function nested(depth: number, leaf: unknown): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf };
  for (let i = 0; i < depth; i++) value = { d: value };
  return value;
}

/** How many objects deep a JSON value nests. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

const RUN_NAME = `run \x1b[31mred\x1b[0m \x9b2J \x00 \x1b]0;title\x07`;

/**
 * A handoff to an agent with escape sequences in its name, arguments 500 levels deep, a tool whose output
 * is 10 MB, and text made of control sequences and lone surrogates.
 */
function hostileRun() {
  const echo = tool({
    name: 'echo',
    description: `echoes \x1b[8m hidden`,
    // Not strict: `deep` takes any JSON, which a strict schema cannot say.
    parameters: { type: 'object', properties: { note: { type: 'string' }, deep: {} }, required: ['note'], additionalProperties: true },
    strict: false,
    execute: async (args) => `${(args as { note: string }).note} ${TEN_MB}`,
  });
  const deltas = [ESCAPES, LONE_SURROGATES, '\x1b[0m plain end'];
  const evil = new Agent({
    name: `Evil \x1b]0;title\x07 Agent\x9b`,
    instructions: `Obey. \x1b[2J`,
    model: new ScriptedModel([
      streamedTurn([functionCall('echo', { note: ESCAPES, deep: nested(500, LONE_SURROGATES) }, { callId: 'call_echo' })]),
      streamedTurn([{ ...assistantMessage(deltas.join('')), providerData: nested(500, ESCAPES) }], deltas),
    ]),
    tools: [echo],
  });
  const transfer = handoff(evil);
  const triage = new Agent({
    name: `Triage \x1b[31m\x00`,
    instructions: 'Route.',
    model: new ScriptedModel([streamedTurn([functionCall(transfer.toolName, { reason: ESCAPES, deep: nested(500, 1) }, { callId: 'call_handoff' })])]),
    handoffs: [transfer],
  });
  return { triage, text: deltas.join('') };
}

/** C0 controls but tab and newline, DEL, C1 controls: bytes that make a terminal act rather than show. */
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let db: string;
let runId: string;
let seen: string[];
let exportFile: string;

beforeAll(async () => {
  const dir = sharedDir();
  db = join(dir, 'hostile.db');
  const store = await openStore(db);
  const { triage, text } = hostileRun();
  const runner = new RecordingRunner({ tracingDisabled: true }, { db: store, name: RUN_NAME, tags: [`tag\x1b[1m`], metadata: { note: ESCAPES } });
  const result = await runner.run(triage, `input ${ESCAPES}`, { stream: true });
  const events: RunStreamEvent[] = [];
  for await (const event of result) events.push(event);
  await result.completed;
  await recordingStored(result);
  expect(result.finalOutput).toBe(text);
  seen = events.map((e) => JSON.stringify(e));
  runId = recordedRunId(result)!;
  await store.close();
  exportFile = join(dir, 'hostile.jsonl');
  expect(runCli(['export', runId, '-o', exportFile], { db }).status).toBe(0);
}, 60_000);

describe('hostile content', () => {
  it('is stored exactly as the application saw it', async () => {
    const store = await openStore(db, { readonly: true });
    const stored = (await allEvents(store, runId)).slice(1).map((e) => e.payload);
    expect(stored).toEqual(seen);
    // The hostile parts really are in there, and come back as the very same strings.
    const values = stored.map((p) => JSON.parse(p));
    expect(values.find((v) => v.data?.type === 'output_text_delta')?.data.delta).toBe(ESCAPES);
    expect(values.filter((v) => v.data?.type === 'output_text_delta').map((v) => v.data.delta)).toContain(LONE_SURROGATES);
    expect(values.find((v) => v.name === 'tool_output')?.item.output).toBe(`${ESCAPES} ${TEN_MB}`);
    expect(stored.find((p) => p.includes('"name":"echo"') && p.includes('tool_called'))).toContain(JSON.stringify(JSON.stringify(nested(500, LONE_SURROGATES))).slice(1, -1));
    // providerData nests 500 objects deep in the message and response events themselves.
    expect(Math.max(...values.map(depthOf))).toBeGreaterThan(500);
    expect(await store.getRun(runId)).toMatchObject({ name: RUN_NAME, tags: [`tag\x1b[1m`], metadata: { note: ESCAPES }, input: `input ${ESCAPES}` });
    await store.close();
  });

  it('round-trips through export and import unchanged, down to the bytes', async () => {
    const other = join(tempDir(), 'imported.db');
    const imported = runCli(['import', exportFile], { db: other });
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);

    const [a, b] = [await openStore(db, { readonly: true }), await openStore(other, { readonly: true })];
    expect(await b.getRun(runId)).toEqual(await a.getRun(runId));
    expect(await b.agents(runId)).toEqual(await a.agents(runId));
    expect(await allEvents(b, runId)).toEqual(await allEvents(a, runId));
    await a.close();
    await b.close();
    const again = join(tempDir(), 'again.jsonl');
    expect(runCli(['export', runId, '-o', again], { db: other }).status).toBe(0);
    expect(readFileSync(again).equals(readFileSync(exportFile))).toBe(true);
  });

  it('replays as the very events the application saw', async () => {
    const store = await openStore(db, { readonly: true });
    const replayed: string[] = [];
    const result = await replay(store, runId, { speed: 'instant' });
    for await (const event of result) replayed.push(JSON.stringify(event));
    await result.completed;
    await recordingStored(result);
    expect(replayed).toEqual(seen);
    await store.close();
  });

  const commands: [string, () => string[]][] = [
    ['ls', () => ['ls']],
    ['show', () => ['show', runId]],
    ['handoffs', () => ['handoffs', runId]],
    ['replay', () => ['replay', runId, '--speed', 'instant']],
    ['replay --format events', () => ['replay', runId, '--speed', 'instant', '--format', 'events']],
    ['import', () => ['import', exportFile]],
    // export names the file it wrote: a file name can hold anything but NUL and the slash.
    ['export -o', () => ['export', runId, '-o', join(tempDir(), 'run \x1b[2J\x1b]0;title\x07\x9b31m\x7f.jsonl')]],
  ];
  for (const [label, args] of commands) {
    it(`never reaches the terminal raw: runtape ${label}`, () => {
      // import writes into a database of its own; the others read the recorded one.
      const out = runCli(args(), { db: label === 'import' ? join(tempDir(), 'target.db') : db });
      expect(out.status).toBe(0);
      // The hostile text is shown, as visible stand-ins (ESC as ␛), never as the controls themselves.
      expect(out.stdout).toContain('␛');
      expect(out.stdout).not.toMatch(TERMINAL_CONTROLS);
      expect(out.stderr).not.toMatch(TERMINAL_CONTROLS);
    });
  }

  // One JSON document, or JSON lines.
  const machineReadable: [string, () => string[], 'document' | 'lines'][] = [
    ['ls --json', () => ['ls', '--json'], 'document'],
    ['show --json', () => ['show', runId, '--json'], 'document'],
    ['handoffs --json', () => ['handoffs', runId, '--json'], 'document'],
    ['replay --format jsonl', () => ['replay', runId, '--speed', 'instant', '--format', 'jsonl'], 'lines'],
    ['export', () => ['export', runId], 'lines'],
  ];
  for (const [label, args, shape] of machineReadable) {
    it(`keeps every control escaped in JSON output: runtape ${label}`, () => {
      const out = runCli(args(), { db });
      expect(out.status).toBe(0);
      expect(out.stdout).toContain('\\u001b');
      expect(out.stdout).toContain('\\u009b');
      expect(out.stdout + out.stderr).not.toMatch(TERMINAL_CONTROLS);
      expect(out.stdout + out.stderr).not.toMatch(/[\u202a-\u202e]/);
      for (const text of shape === 'document' ? [out.stdout] : out.stdout.trimEnd().split('\n')) {
        expect(() => JSON.parse(text)).not.toThrow();
      }
    });
  }
});
