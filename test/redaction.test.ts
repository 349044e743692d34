import { Agent, OpenAIProvider, run, tool, type RunStreamEvent } from '@openai/agents';
import { ScriptedModel, assistantMessage, modelStream } from '@openai/agents/testing';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RecordingRunner, openStore, record, recordedRunId, recordingStored, type RedactOptions } from '../src/index.js';
import { EventKind, eventJsonOf } from '../src/recorder/writer/compactEvent.js';
import { CARRY_CHARS, RunRedaction } from '../src/recorder/writer/runRedaction.js';
import { CompactEventsBuilder, type CompactEvents } from '../src/recorder/writer/compactEvents.js';
import { textStartOf } from '../src/events/storedEvent.js';
import { redactionSpecOf } from '../src/redaction/options.js';
import { Redactor } from '../src/redaction/redactor.js';
import { AgentGraphTable } from '../src/store/sqlite/agentGraphTable.js';
import { archiveDictionary, decodeArchive } from '../src/store/sqlite/captureArchive.js';
import { decodeBlock } from '../src/store/sqlite/eventBlock.js';
import { runCli } from './support/cli.js';
import { startFakeResponsesServer } from './support/fakeResponsesServer.js';
import { allEvents } from './support/sqlite.js';
import { callTurn, streamedTurn, textTurn } from './support/scriptedTurns.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();

/** Known only to the run's redaction module. */
const SECRET = 'ZEBRA-7a9f31c04b';
/** Shaped like an OpenAI key: never stored, with or without options. */
const API_KEY = 'sk-proj-Qx81mZt4LpVw20aBcDeFgHiJ';
const PASSWORD = 'hunter2-correct-horse';
const FINDER = `export default function findSecrets(text) {
  return [...text.matchAll(/ZEBRA-[0-9a-f]{10}/g)].map((m) => [m.index, m.index + m[0].length]);
}
`;

function redactionModule(): string {
  const path = join(tempDir(), 'findSecrets.mjs');
  writeFileSync(path, FINDER);
  return path;
}

/** Every text a database holds: each table's rows, event blocks decoded, any other blob decompressed, the raw files. */
function everythingStored(path: string): string {
  const db = new Database(path, { readonly: true });
  const texts: string[] = [];
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        if (table === 'event_blocks') {
          const { first_seq, codec, data, ...summary } = row as { first_seq: number; codec: number; data: Buffer };
          texts.push(JSON.stringify(summary), ...decodeBlock(first_seq, codec, data).map((e) => JSON.stringify(e)));
          continue;
        }
        if (table === 'capture_archives') {
          // Deflated against the run's agent graph, as the store reads it.
          const { run_pk, codec, data } = row as { run_pk: number; codec: number; data: Buffer };
          texts.push(JSON.stringify(decodeArchive(codec, data, archiveDictionary(new AgentGraphTable(db).read(run_pk)))));
          continue;
        }
        for (const value of Object.values(row)) {
          if (Buffer.isBuffer(value)) texts.push(value.toString('latin1'), tryDecompress(value));
          else texts.push(String(value));
        }
      }
    }
  } finally {
    db.close();
  }
  for (const file of [path, `${path}-wal`]) if (existsSync(file)) texts.push(readFileSync(file).toString('latin1'));
  return texts.join('\n');
}

function tryDecompress(blob: Buffer): string {
  try {
    return brotliDecompressSync(blob).toString('utf8');
  } catch {
    return '';
  }
}

/** Everything `runtape export` gives for every run of the database. */
function everythingExported(db: string, runIds: string[]): string {
  return runIds
    .map((id) => {
      const exported = runCli(['export', id], { db });
      expect(exported.status, exported.stderr).toBe(0);
      return exported.stdout;
    })
    .join('\n');
}

/** A model turn that streams these deltas, then fails with this error. */
function failingTurn(deltas: string[], error: Error): ReturnType<typeof modelStream> {
  async function* events() {
    yield { type: 'response_started' } as never;
    for (const delta of deltas) yield { type: 'output_text_delta', delta } as never;
    throw error;
  }
  return modelStream(events());
}

/** An agent whose instructions, tool arguments, tool output and streamed text all hold the secrets. */
function leakyAgent(answerDeltas: string[]) {
  const lookup = tool({
    name: 'lookup_account',
    description: 'Looks an account up',
    parameters: z.object({ account: z.string(), api_key: z.string(), note: z.string() }),
    execute: async ({ account }) => JSON.stringify({ account, token: SECRET, auth: { Authorization: `Bearer ${API_KEY}` } }),
  });
  return new Agent({
    name: 'Leaky',
    instructions: `Use the account token ${SECRET} and the key ${API_KEY} when asked.`,
    tools: [lookup],
    model: new ScriptedModel([
      callTurn('lookup_account', { account: 'A-1', api_key: 'plain-looking-value', note: `token ${SECRET} key ${API_KEY}` }, 'call_lookup_1'),
      streamedTurn([assistantMessage(answerDeltas.join(''))], answerDeltas),
    ]),
  });
}

describe('redaction', () => {
  it('stores no planted secret anywhere, in any table or export, and keeps the deltas faithful around the masks', async () => {
    const db = join(tempDir(), 'runs.db');
    const redact: RedactOptions = { keys: ['password'], module: redactionModule() };
    // Split across deltas: the module's secret, and an API key.
    const answer = ['Your token is ZEB', 'RA-7a9f', '31c04b and your key is sk-pr', 'oj-Qx81mZt4Lp', 'Vw20aBcDeFgHiJ; done.'];
    const input = `My token is ${SECRET}, my key ${API_KEY}.`;
    const metadata = { note: SECRET, password: PASSWORD, headers: { authorization: 'token-as-is' }, customer: 'C-42' };

    const runner = new RecordingRunner({ tracingDisabled: true }, { db, name: `run of ${SECRET}`, tags: [SECRET], metadata, redact });
    const result = await runner.run(leakyAgent(answer), input, { stream: true });
    const seen: RunStreamEvent[] = [];
    for await (const event of result) seen.push(event);
    await result.completed;
    await recordingStored(result);
    expect(result.finalOutput).toBe(answer.join(''));

    // An error whose message and cause hold the secrets ends a second run.
    const failing = new Agent({
      name: 'Failing',
      instructions: 'Fail.',
      model: new ScriptedModel([
        failingTurn(['partial ZEBRA-7a9', 'f31c04b text'], new Error(`upstream refused ${SECRET}`, { cause: new Error(`with key ${API_KEY}`) })),
      ]),
    });
    const failed = await runner.run(failing, 'go', { stream: true });
    await expect((async () => {
      for await (const _event of failed);
    })()).rejects.toThrow(SECRET);
    await recordingStored(failed);

    // A secret split across batches: 1-character deltas, many more than a batch holds (512 events).
    const repeated = `${SECRET} and ${API_KEY}; `.repeat(80);
    const long = await runner.run(leakyAgent([...repeated]), 'again', { stream: true });
    for await (const _event of long);
    await recordingStored(long);

    const runIds = [result, failed, long].map((r) => recordedRunId(r)!);
    const store = await openStore(db, { readonly: true });
    try {
      const stored = (await store.getRun(runIds[0]!))!;
      expect(stored.input).toBe('My token is [redacted], my key [redacted].');
      expect(stored.metadata).toEqual({ note: '[redacted]', password: '[redacted]', headers: { authorization: '[redacted]' }, customer: 'C-42' });
      expect(stored.finalOutput).toBe('Your token is [redacted] and your key is [redacted]; done.');
      expect(stored.name).toBe('run of [redacted]');
      expect((await store.agents(runIds[0]!))[0]!.instructions).toBe('Use the account token [redacted] and the key [redacted] when asked.');

      // Each delta keeps its place and what is not secret; the mask stands where the secret began.
      const events = await allEvents(store, runIds[0]!);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
      expect(events).toHaveLength(seen.length + 1);
      const deltas = events.filter((e) => e.name === 'output_text_delta').map((e) => JSON.parse(e.payload).data.delta as string);
      expect(deltas).toEqual(['Your token is [redacted]', '', ' and your key is [redacted]', '', '; done.']);
      const args = JSON.parse(events.find((e) => e.name === 'tool_called')!.payload).item.rawItem.arguments as string;
      expect(JSON.parse(args)).toEqual({ account: 'A-1', api_key: '[redacted]', note: 'token [redacted] key [redacted]' });
      const output = JSON.parse(events.find((e) => e.name === 'tool_output')!.payload).item.output as string;
      expect(JSON.parse(output)).toEqual({ account: 'A-1', token: '[redacted]', auth: { Authorization: '[redacted]' } });

      // What the model was sent, as captured: the instructions and the input, masked.
      const [call] = await store.captures(runIds[0]!, 'modelCall');
      expect(call!.instructions).toBe('Use the account token [redacted] and the key [redacted] when asked.');
      expect(JSON.stringify(call!.input)).toContain('My token is [redacted], my key [redacted].');

      const error = (await store.getRun(runIds[1]!))!.error!;
      expect(error.message).toBe('upstream refused [redacted]');
      expect(error.cause!.message).toBe('with key [redacted]');

      // Across batches: the stored deltas join into the text with each secret masked, every other character kept.
      const longDeltas = (await allEvents(store, runIds[2]!)).filter((e) => e.name === 'output_text_delta');
      expect(longDeltas).toHaveLength(repeated.length);
      expect(longDeltas.map((e) => JSON.parse(e.payload).data.delta).join('')).toBe('[redacted] and [redacted]; '.repeat(80));
    } finally {
      await store.close();
    }

    const everywhere = everythingStored(db) + everythingExported(db, runIds);
    for (const secret of [SECRET, API_KEY, PASSWORD, 'token-as-is', 'plain-looking-value']) expect(everywhere).not.toContain(secret);
    // The search does find what is stored: the runs' own words.
    expect(everywhere).toContain('lookup_account');
  });

  it('masks a secret split across the provider\'s own delta events, through the real openai client', async () => {
    const db = join(tempDir(), 'runs.db');
    // The fake server sends function call arguments in 8-character deltas, the text in the deltas given.
    const server = await startFakeResponsesServer([
      { kind: 'function_call', name: 'lookup_account', arguments: JSON.stringify({ account: 'A-1', api_key: 'x', note: `see ${SECRET}` }), callId: 'call_1' },
      { kind: 'text', deltas: ['Token ZEBRA', '-7a9f31', 'c04b, key sk-proj-Qx81', 'mZt4LpVw20aBcDeFgHiJ.'] },
    ]);
    try {
      const lookup = tool({
        name: 'lookup_account',
        description: 'Looks an account up',
        parameters: z.object({ account: z.string(), api_key: z.string(), note: z.string() }),
        execute: async () => 'found',
      });
      const agent = new Agent({ name: 'Http', instructions: `Token ${SECRET}.`, model: 'gpt-4.1', tools: [lookup] });
      const client = new OpenAI({ baseURL: server.url, apiKey: API_KEY, maxRetries: 0 });
      const runner = new RecordingRunner(
        { modelProvider: new OpenAIProvider({ openAIClient: client, useResponses: true }), tracingDisabled: true },
        { db, redact: { module: redactionModule() } },
      );
      const result = await runner.run(agent, 'go', { stream: true });
      for await (const _event of result);
      await recordingStored(result);
      expect(result.finalOutput).toBe(`Token ${SECRET}, key ${API_KEY}.`);

      const store = await openStore(db, { readonly: true });
      const events = await allEvents(store, recordedRunId(result)!).finally(() => store.close());
      const providerDeltas = (type: string) =>
        events.map((e) => JSON.parse(e.payload).data?.event).filter((e) => e?.type === type).map((e) => e.delta as string);
      expect(providerDeltas('response.output_text.delta')).toEqual(['Token [redacted]', '', ', key [redacted]', '.']);
      expect(JSON.parse(providerDeltas('response.function_call_arguments.delta').join(''))).toEqual({ account: 'A-1', api_key: '[redacted]', note: 'see [redacted]' });
      const normalized = events.filter((e) => e.name === 'output_text_delta').map((e) => JSON.parse(e.payload).data.delta);
      expect(normalized).toEqual(['Token [redacted]', '', ', key [redacted]', '.']);
      const everywhere = everythingStored(db) + everythingExported(db, [recordedRunId(result)!]);
      for (const secret of [SECRET, API_KEY]) expect(everywhere).not.toContain(secret);
    } finally {
      await server.close();
    }
  });

  it('redacts each run by its own options, and API keys and authorization headers in every run', async () => {
    const db = join(tempDir(), 'runs.db');
    const module = redactionModule();
    const agent = () => new Agent({ name: 'Plain', instructions: 'Answer.', model: new ScriptedModel([textTurn(`Noted ${SECRET} and ${API_KEY}.`)]) });
    // Two runs of one process and one writer thread: one names the module, the other none.
    const withModule = record(await run(agent(), `hi ${SECRET}`, { stream: true }), { db, startingAgent: agent(), redact: { module } });
    const without = record(await run(agent(), `hi ${SECRET}`, { stream: true }), {
      db,
      startingAgent: agent(),
      metadata: { request: { headers: { Authorization: 'Basic dXNlcjpwYXNz', 'X-Api-Key': 'k-123456' } } },
    });
    for await (const _event of withModule);
    for await (const _event of without);
    await recordingStored(withModule);
    await recordingStored(without);

    const store = await openStore(db, { readonly: true });
    try {
      const redacted = (await store.getRun(recordedRunId(withModule)!))!;
      const plain = (await store.getRun(recordedRunId(without)!))!;
      expect(redacted.input).toBe('hi [redacted]');
      expect(redacted.finalOutput).toBe('Noted [redacted] and [redacted].');
      expect(plain.input).toBe(`hi ${SECRET}`);
      expect(plain.finalOutput).toBe(`Noted ${SECRET} and [redacted].`);
      expect(plain.metadata).toEqual({ request: { headers: { Authorization: '[redacted]', 'X-Api-Key': '[redacted]' } } });
    } finally {
      await store.close();
    }
  });

  it('does not record a run whose redaction module cannot be loaded, and says so once', async () => {
    const db = join(tempDir(), 'runs.db');
    const warnings: string[] = [];
    const agent = new Agent({ name: 'Plain', instructions: 'Answer.', model: new ScriptedModel([textTurn(`Noted ${SECRET}.`)]) });
    const runner = new RecordingRunner({ tracingDisabled: true }, { db, redact: { module: join(tempDir(), 'missing.mjs') }, warn: (m) => warnings.push(m) });
    const result = await runner.run(agent, `hi ${SECRET}`, { stream: true });
    for await (const _event of result);
    await recordingStored(result);
    expect(result.finalOutput).toBe(`Noted ${SECRET}.`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/redaction module .*missing\.mjs could not be loaded/);
    const store = await openStore(db, { readonly: true });
    try {
      expect(await store.getRun(recordedRunId(result)!)).toBeUndefined();
    } finally {
      await store.close();
    }
    expect(everythingStored(db)).not.toContain(SECRET);
  });
});

describe('streamed text across batches', () => {
  const redactor = new Redactor(redactionSpecOf({}), (text) => [...text.matchAll(/ZEBRA-[0-9a-f]{10}/g)].map((m) => [m.index, m.index + m[0].length]));
  let seq = 0;
  /** An event in the writer's compact form, one at a time (a text delta's value: its text). */
  interface Listed {
    seq: number;
    tUs: number;
    kind: EventKind;
    value: unknown;
  }
  const delta = (text: string): Listed => ({ seq: seq++, tUs: seq, kind: EventKind.TextDelta, value: text });
  const done = (): Listed => ({ seq: seq++, tUs: seq, kind: EventKind.Raw, value: eventJsonOf(JSON.stringify({ data: { type: 'response_done' }, type: 'raw_model_stream_event' })) });
  /** The events as the writer collects them from its batches: each delta a piece of a batch's text. */
  const take = (redaction: RunRedaction, list: Listed[], final: boolean) => {
    const builder = new CompactEventsBuilder();
    for (const e of list) {
      if (e.kind === EventKind.TextDelta) builder.pushDelta(e.seq, e.tUs, { text: `<${e.value as string}>` }, 1, (e.value as string).length + 1);
      else builder.push(e.seq, e.tUs, e.kind, e.value);
    }
    const { events, held } = redaction.take(builder.build(), final);
    return { events: listed(events), held, heldEvents: listed(held) };
  };
  const listed = (events: CompactEvents | null): Listed[] =>
    (events?.seqs ?? []).map((seq, i) => {
      const kind = events!.kinds[i]!;
      const value = kind === EventKind.TextDelta ? events!.text.slice(textStartOf(events!, i), events!.textEnds[i]) : events!.values[i];
      return { seq, tUs: events!.tUs[i]!, kind, value };
    });

  it('holds back the tail that may start a secret, and masks the secret where it began once it is whole', () => {
    const redaction = new RunRedaction(redactor);
    const carried = 'y'.repeat(CARRY_CHARS) + ' text ZEB';
    const first = take(redaction, [delta('lead'), delta(carried), delta('RA-7a')], false);
    // The first delta lies before the carried tail: stored; the rest waits.
    expect(first.events.map((e) => e.value)).toEqual(['lead']);
    expect(first.heldEvents.map((e) => e.value)).toEqual([carried, 'RA-7a']);
    redaction.commit(first.held);

    const rest = delta('9f31c04b and on');
    const end = done();
    const second = take(redaction, [rest, end], false);
    expect(second.events.slice(0, 3).map((e) => e.value)).toEqual(['y'.repeat(CARRY_CHARS) + ' text [redacted]', '', ' and on']);
    expect(second.events[3]).toEqual(end);
    expect(second.events.map((e) => e.seq)).toEqual([1, 2, 3, 4].map((i) => first.events[0]!.seq + i));
    expect(second.held).toBeNull();
  });

  it('stores everything it holds at the run\'s end', () => {
    const redaction = new RunRedaction(redactor);
    const first = take(redaction, [delta('ends with ZEBRA-7a9f31c0')], false);
    expect(first.events).toEqual([]);
    redaction.commit(first.held);
    expect(take(redaction, [delta('4b')], true).events.map((e) => e.value)).toEqual(['ends with [redacted]', '']);
  });
});
