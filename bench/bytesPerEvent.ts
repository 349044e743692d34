import { join } from 'node:path';
import { RecordingRunner, recordedRunId, recordingStored } from '../src/index.js';
import { openStore } from '../src/store/openStore.js';
import type { RunStore } from '../src/store/runStore.js';
import { streamingAgent } from '../test/support/scriptedTurns.js';
import type { Benchmark, Figure } from './benchmark.js';
import { databaseBytes } from './databaseBytes.js';
import { recordDemoRuns } from './demoEvents.js';
import { pairedRatios, summarize } from './stats.js';

const RUNS = 60;
const DELTAS = 200_000;
const REPETITIONS = 3;
const WORDS = ['The', ' refund', ' for', ' the', ' duplicate', ' charge', ' has', ' been', ' issued', '.', '\n'];

interface Sizes {
  fileBytesPerEvent: number;
  jsonBytesPerEvent: number;
}

/**
 * Records into a fresh database, closes it, and weighs it, its write-ahead log checkpointed into the file, against
 * the events' JSON (their payloads as UTF-8, read back through the store: what an export's events hold).
 */
async function weigh(path: string, record: (store: RunStore) => Promise<void>): Promise<Sizes> {
  const writing = await openStore(path);
  await record(writing);
  await writing.close();
  const store = await openStore(path, { readonly: true });
  let events = 0;
  let json = 0;
  for (const run of await store.listRuns()) {
    for await (const event of store.iterateEvents(run.id, { windowSize: 4096 })) {
      events++;
      json += Buffer.byteLength(event.payload);
    }
  }
  await store.close();
  return { fileBytesPerEvent: databaseBytes(path) / events, jsonBytesPerEvent: json / events };
}

/** One CPU-bound run of `deltas` text deltas through the real SDK runner, recorded. */
async function recordDeltaRun(store: RunStore, deltas: number): Promise<void> {
  const agent = streamingAgent(Array.from({ length: deltas }, (_, i) => WORDS[i % WORDS.length]!));
  const result = await new RecordingRunner({ tracingDisabled: true }, { db: store, name: 'deltas' }).run(agent, 'Go on.', { stream: true });
  for await (const _event of result);
  await result.completed;
  await recordingStored(result);
  if (!recordedRunId(result)) throw new Error('the delta run was not recorded');
}

function figure(name: string, sizes: Sizes[], note: string): Figure {
  const file = sizes.map((s) => s.fileBytesPerEvent);
  const json = sizes.map((s) => s.jsonBytesPerEvent);
  return {
    name,
    unit: 'B',
    value: summarize(file),
    baseline: { name: "the events' JSON alone", value: summarize(json) },
    ratio: summarize(pairedRatios(file, json)),
    target: { atMost: 0.5 },
    note,
  };
}

/** What a realistic recording costs on disk: demo runs as an application would record them, and one long stream of deltas. */
export const bytesPerEvent: Benchmark = {
  name: 'database bytes per event',
  async run(context) {
    const runs = Math.max(3, context.size(RUNS));
    const deltas = context.size(DELTAS);
    const demo: Sizes[] = [];
    const stream: Sizes[] = [];
    for (let i = 0; i < REPETITIONS; i++) {
      demo.push(await weigh(join(context.tempDir(), 'demo.db'), (store) => recordDemoRuns(store, runs, 1 + i * runs).then(() => undefined)));
      stream.push(await weigh(join(context.tempDir(), 'deltas.db'), (store) => recordDeltaRun(store, deltas)));
    }
    return [
      figure(
        'database bytes per event: demo',
        demo,
        `${runs} demo runs at pace 0 (all three scenarios, distinct seeds) per database, file size after close (WAL checkpointed), ${REPETITIONS} databases`,
      ),
      figure(
        'database bytes per event: deltas',
        stream,
        `one CPU-bound run of ${deltas.toLocaleString('en')} text deltas (scripted model, real runner), file size after close (WAL checkpointed), ${REPETITIONS} databases`,
      ),
    ];
  },
};
