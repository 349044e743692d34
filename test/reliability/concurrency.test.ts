import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { startRecordingChild } from '../support/recordingChild.js';
import { integrityCheck, range, storedSeqs } from '../support/sqlite.js';
import { useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();
/** Runs of different lengths, so the processes finish at different times. */
const deltasOf = (i: number) => 600 + 50 * i;

describe('several processes recording into one database', () => {
  it('stores every event of every run, 8 processes at once, starting on a database none has created yet', async () => {
    const db = join(tempDir(), 'shared.db');
    const children = range(8).map((i) =>
      // Small batches and flush interval: many write transactions interleave between the processes.
      // Half stream as fast as they can, half with time between deltas, as a network model would.
      startRecordingChild({ db, deltas: deltasOf(i), delayMs: i % 2 === 0 ? undefined : 1, name: `racer ${i}`, batchSize: 8, flushIntervalMs: 5, waitForGo: true }),
    );
    // Every process is loaded before any starts: opening (and creating) the database and the runs overlap.
    await Promise.all(children.map((c) => c.line('ready')));
    for (const child of children) child.go();
    const exits = await Promise.all(children.map((c) => c.exited));
    // All at once, so a failure shows what every process said.
    expect(exits.map((e) => ({ code: e.code, stderr: e.stderr }))).toEqual(range(8).map(() => ({ code: 0, stderr: '' })));

    expect(integrityCheck(db)).toBe('ok');
    const store = await openStore(db, { readonly: true });
    expect(await store.listRuns()).toHaveLength(8);
    for (const [i, exit] of exits.entries()) {
      const runId = exit.stdout.find((l) => l.startsWith('run '))!.slice(4);
      const seen = Number(exit.stdout.find((l) => l.startsWith('done '))!.slice(5));
      const run = (await store.getRun(runId))!;
      expect(run).toMatchObject({ name: `racer ${i}`, status: 'completed', recording: 'complete' });
      // The application saw response_started, the deltas and the message; the store has those and the starting agent.
      expect(seen).toBe(deltasOf(i) + 3);
      expect(run.eventCount).toBe(seen + 1);
      expect(await storedSeqs(store, runId)).toEqual(range(seen + 1));
    }
    await store.close();
  });
});
