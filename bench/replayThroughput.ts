import { join } from 'node:path';
import { openStore } from '../src/index.js';
import { Playback } from '../src/replay/playback.js';
import { storeLargeRun } from '../test/support/largeRun.js';
import type { Benchmark } from './benchmark.js';
import { pairedRatios, summarize, timeMs } from './stats.js';

const EVENTS = 1_000_000;
const ROUNDS = 3;

/** `instant` replay of a million-event run: the engine's own cost, against reading the same events in windows. */
export const replayThroughput: Benchmark = {
  name: 'replay throughput',
  async run(context) {
    const store = await openStore(join(context.tempDir(), 'large.db'));
    const runId = await storeLargeRun(store, context.size(EVENTS));
    const events = (await store.lastSeq(runId)) + 1;
    const replayed: number[] = [];
    const read: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      read.push(
        events /
          ((await timeMs(async () => {
            for await (const _event of store.iterateEvents(runId));
          })) /
            1000),
      );
      let count = 0;
      const ms = await timeMs(async () => {
        for await (const _event of new Playback(store, runId, { speed: 'instant' })) count++;
      });
      if (count !== events) throw new Error(`replayed ${count} of ${events} events`);
      replayed.push(events / (ms / 1000));
    }
    await store.close();
    return [
      {
        name: 'replay at instant speed',
        unit: 'events/s',
        value: summarize(replayed),
        baseline: { name: 'store.iterateEvents', value: summarize(read) },
        ratio: summarize(pairedRatios(replayed, read)),
        note: `${events.toLocaleString('en')}-event run, ${ROUNDS} rounds`,
      },
    ];
  },
};
