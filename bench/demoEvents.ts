import { join } from 'node:path';
import { createDemoRun, demoScenarios } from '../src/demo/index.js';
import { RecordingRunner, recordedRunId, recordingStored } from '../src/index.js';
import { openStore } from '../src/store/openStore.js';
import type { RunStore } from '../src/store/runStore.js';
import type { StoredEvent } from '../src/store/types.js';

/** Records `count` demo runs at pace 0, the scenarios in turn, each with a seed of its own; returns their ids. */
export async function recordDemoRuns(store: RunStore, count: number, firstSeed = 1, capture = true): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const scenario = demoScenarios[i % demoScenarios.length]!;
    const demo = createDemoRun(scenario.name, { pace: 0, seed: firstSeed + i });
    const result = await new RecordingRunner({}, { db: store, name: `demo: ${scenario.name}`, tags: ['demo'], capture }).run(demo.startingAgent, demo.input, {
      stream: true,
    });
    await result.completed;
    await recordingStored(result);
    ids.push(recordedRunId(result)!);
  }
  return ids;
}

/** The stored events of one recorded run of each demo scenario: a realistic mix of levels, names and payload sizes. */
export async function demoEventSample(dir: string): Promise<StoredEvent[]> {
  const store = await openStore(join(dir, 'sample.db'));
  try {
    const sample: StoredEvent[] = [];
    for (const id of await recordDemoRuns(store, demoScenarios.length)) {
      for await (const event of store.iterateEvents(id)) sample.push(event);
    }
    return sample;
  } finally {
    await store.close();
  }
}

/**
 * Batches of `count` events cycling through the sample, numbered as one run (seq 0…count-1, 20 µs apart):
 * generated as they are written, so a million of them never sit in memory at once.
 */
export function* demoEventBatches(sample: readonly StoredEvent[], count: number, batchSize: number): Generator<StoredEvent[]> {
  for (let start = 0; start < count; start += batchSize) {
    const batch: StoredEvent[] = [];
    for (let seq = start; seq < Math.min(count, start + batchSize); seq++) {
      batch.push({ ...sample[seq % sample.length]!, seq, tUs: seq * 20 });
    }
    yield batch;
  }
}
