import { Agent, tool } from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { z } from 'zod';
import { RecordingRunner, recordedRunId, recordingStored } from '../src/index.js';
import { openStore } from '../src/store/openStore.js';
import { AgentGraphTable } from '../src/store/sqlite/agentGraphTable.js';
import { archiveDictionary, decodeArchive } from '../src/store/sqlite/captureArchive.js';
import { callTurn, textTurn } from '../test/support/scriptedTurns.js';
import type { Benchmark, Figure } from './benchmark.js';
import { databaseBytes } from './databaseBytes.js';
import { recordDemoRuns } from './demoEvents.js';
import { pairedRatios, summarize } from './stats.js';

const TURNS = 20;
const DEMO_RUNS = 30;
const REPETITIONS = 3;

/** A run of TURNS model calls: an agent looks up an order line by line, each call sending the conversation so far. */
async function recordLongRun(db: string): Promise<string> {
  const lookUp = tool({
    name: 'look_up_order_line',
    description: 'One line of an order, with its product, quantity, price and shipping state.',
    parameters: z.object({ order: z.string(), line: z.number() }),
    execute: async ({ order, line }) => JSON.stringify({ order, line, product: `Product ${line}: a stainless steel water bottle, 750 ml`, quantity: line, priceCents: 1999 * line, shipping: 'in transit, expected on Thursday' }),
  });
  const turns = Array.from({ length: TURNS - 1 }, (_, i) => callTurn('look_up_order_line', { order: 'A-4711', line: i + 1 }, `call_${i + 1}`));
  const agent = new Agent({
    name: 'Orders',
    instructions: 'Look up every line of the order before you answer.',
    model: new ScriptedModel([...turns, textTurn('All 19 lines of order A-4711 are in transit and arrive on Thursday.')]),
    tools: [lookUp],
  });
  const result = await new RecordingRunner({ tracingDisabled: true }, { db }).run(agent, 'Where is everything I ordered in A-4711?', { stream: true, maxTurns: TURNS + 1 });
  for await (const _event of result);
  await recordingStored(result);
  return recordedRunId(result)!;
}

/** The bytes the item store holds for a run (each distinct item, and the item numbers requests hold), and the distinct items' own JSON. */
async function itemBytes(db: string, runId: string): Promise<{ stored: number; distinct: number; repeated: number }> {
  const store = await openStore(db, { readonly: true });
  const calls = await store.captures(runId, 'modelCall');
  await store.close();
  if (calls.length !== TURNS) throw new Error(`captured ${calls.length} calls, expected ${TURNS}`);
  const items = calls.flatMap((c) => (typeof c.input === 'string' ? [] : c.input.map((item) => JSON.stringify(item))));
  const bytes = (texts: Iterable<string>) => [...texts].reduce((n, t) => n + Buffer.byteLength(t), 0);
  // What the run's archive holds: each distinct item, and the item numbers in the requests.
  const raw = new Database(db, { readonly: true });
  const row = raw.prepare(`SELECT run_pk, codec, data FROM capture_archives`).get() as { run_pk: number; codec: number; data: Buffer };
  const dictionary = archiveDictionary(new AgentGraphTable(raw).read(row.run_pk));
  raw.close();
  const archive = decodeArchive(row.codec, row.data, dictionary);
  const itemsBytes = bytes(archive.items.map(([, item]) => JSON.stringify(item)));
  const references = bytes(archive.records.filter(([kind]) => kind === 'modelCall').map(([, , record]) => JSON.stringify((record as { input: unknown }).input)));
  return { stored: itemsBytes + references, distinct: bytes(new Set(items)), repeated: bytes(items) };
}

async function demoDatabase(path: string, runs: number, capture: boolean): Promise<number> {
  const store = await openStore(path);
  await recordDemoRuns(store, runs, 1, capture);
  await store.close();
  return databaseBytes(path);
}

/** What capturing the model calls costs on disk: the conversation stored once per run, and the demo database with and without capture. */
export const captureStorage: Benchmark = {
  name: 'capture storage',
  async run(context) {
    const longDb = join(context.tempDir(), 'long.db');
    const long = await itemBytes(longDb, await recordLongRun(longDb));
    const runs = Math.max(3, context.size(DEMO_RUNS));
    const withCapture: number[] = [];
    const without: number[] = [];
    for (let i = 0; i < REPETITIONS; i++) {
      withCapture.push(await demoDatabase(join(context.tempDir(), 'captured.db'), runs, true));
      without.push(await demoDatabase(join(context.tempDir(), 'events.db'), runs, false));
    }
    const figures: Figure[] = [
      {
        name: `capture: stored input items of a ${TURNS}-call run`,
        unit: 'B',
        value: summarize([long.stored]),
        baseline: { name: 'its distinct items', value: summarize([long.distinct]) },
        ratio: summarize([long.stored / long.distinct]),
        target: { atMost: 1.2 },
        note: `items once each plus the item numbers requests hold, before compression; the requests repeat ${long.repeated.toLocaleString('en')} B of items in all`,
      },
      {
        name: 'capture: demo database with model calls captured',
        unit: 'B',
        value: summarize(withCapture),
        baseline: { name: 'events only (capture: false)', value: summarize(without) },
        ratio: summarize(pairedRatios(withCapture, without)),
        target: { atMost: 1.25 },
        note: `${runs} demo runs at pace 0 per database, file size after a checkpoint, ${REPETITIONS} pairs`,
      },
    ];
    return figures;
  },
};
