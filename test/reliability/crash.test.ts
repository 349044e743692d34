import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { runCli } from '../support/cli.js';
import { startRecordingChild } from '../support/recordingChild.js';
import { allEvents, integrityCheck, range } from '../support/sqlite.js';
import { useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();

describe('a recording process killed with SIGKILL mid-run', () => {
  const streams = [
    // A model with real time between deltas: timers get their turn, as with a network model.
    { kind: 'a model with delays', deltas: 20_000, delayMs: 1 },
    // A stream fed by microtasks alone (a CPU-bound model): the event loop never turns until the run ends.
    { kind: 'a stream that never yields to the event loop', deltas: 400_000 },
  ];

  for (const stream of streams) {
    it(`leaves an intact database with every flushed event, the run shown as incomplete (${stream.kind})`, async () => {
      const db = join(tempDir(), 'crash.db');
      const child = startRecordingChild({ db, deltas: stream.deltas, delayMs: stream.delayMs, reportStoredAtLeast: 600 });
      const runId = await child.line('run ');
      const flushed = Number(await child.line('stored '));
      child.process.kill('SIGKILL');
      const exit = await child.exited;
      expect(exit.signal).toBe('SIGKILL');
      expect(exit.stdout.filter((l) => l.startsWith('done'))).toEqual([]); // it died mid-run

      expect(integrityCheck(db)).toBe('ok');
      const store = await openStore(db, { readonly: true });
      const run = (await store.getRun(runId))!;
      expect(run.status).toBe('incomplete');
      const events = await allEvents(store, runId);
      // Whole batches only: the stored events are a gap-free prefix, at least what the child saw committed.
      expect(events.map((e) => e.seq)).toEqual(range(events.length));
      expect(events.length).toBeGreaterThanOrEqual(flushed);
      expect(run.eventCount).toBe(events.length);
      // seq 0 is the starting agent, seq 1 response_started, then the deltas in the order they were streamed.
      const deltas = events.slice(2).map((e) => JSON.parse(e.payload).data.delta);
      expect(deltas).toEqual(range(deltas.length).map((i) => `token ${i} `));
      await store.close();

      const listed = runCli(['ls', '--json'], { db });
      expect(listed.stderr).toBe('');
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: runId, status: 'incomplete', eventCount: events.length })]);
    });
  }

  it('keeps every event up to the last one the application consumed, killed 150 ms after it stopped reading', async () => {
    const db = join(tempDir(), 'idle.db');
    // Far enough into the run that the writer thread is up and has caught up with what piled up while it started
    // (it starts with the runner, in some 50–200 ms, while the application streams on at a few µs an event).
    const child = startRecordingChild({ db, deltas: 400_000, idleAfterConsumed: 150_000 });
    const runId = await child.line('run ');
    const consumed = Number(await child.line('consumed '));
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.process.kill('SIGKILL');
    await child.exited;

    expect(integrityCheck(db)).toBe('ok');
    const store = await openStore(db, { readonly: true });
    expect((await store.getRun(runId))!.status).toBe('incomplete');
    const seqs = (await allEvents(store, runId)).map((e) => e.seq);
    expect(seqs.length).toBeGreaterThan(consumed);
    expect(seqs).toEqual(range(seqs.length));
    await store.close();
  });

  it('stores a run whole when the application calls process.exit() right after its loop', async () => {
    const db = join(tempDir(), 'exit.db');
    const child = startRecordingChild({ db, deltas: 50_000, exitAfterLoop: true });
    const runId = await child.line('run ');
    const exit = await child.exited;
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    const seen = Number(exit.stdout.find((l) => l.startsWith('done '))!.slice(5));

    const store = await openStore(db, { readonly: true });
    expect(await store.getRun(runId)).toMatchObject({ status: 'completed', eventCount: seen + 1, recording: 'complete' });
    await store.close();
  });
});
