import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { startRecordingChild } from '../support/recordingChild.js';
import { integrityCheck, range, storedSeqs } from '../support/sqlite.js';
import { useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();
/** Runs of different lengths, so the processes finish at different times. */
const deltasOf = (i: number) => 10_000 + 500 * i;
const PROCESSES = 16;

describe('several processes recording into one database', () => {
  it('stores every event of every run, 16 CPU-bound processes at once, starting on a database none has created yet', async () => {
    const db = join(tempDir(), 'shared.db');
    const children = range(PROCESSES).map((i) =>
      // Streams fed by microtasks alone: every process writes as fast as its writer thread can.
      startRecordingChild({ db, deltas: deltasOf(i), name: `racer ${i}`, waitForGo: true }),
    );
    // Every process is loaded before any starts: opening (and creating) the database and the runs overlap.
    await Promise.all(children.map((c) => c.line('ready')));
    for (const child of children) child.go();
    const exits = await Promise.all(children.map((c) => c.exited));
    // All at once, so a failure shows what every process said.
    expect(exits.map((e) => ({ code: e.code, stderr: e.stderr }))).toEqual(range(PROCESSES).map(() => ({ code: 0, stderr: '' })));

    expect(integrityCheck(db)).toBe('ok');
    const store = await openStore(db, { readonly: true });
    expect(await store.listRuns()).toHaveLength(PROCESSES);
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
  }, 180_000);
});
