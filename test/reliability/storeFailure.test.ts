import type { RunStreamEvent } from '@openai/agents';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingRunner, openStore, recordedRunId, recordingStored } from '../../src/index.js';
import { asUnprivilegedUser, runCli } from '../support/cli.js';
import { startRecordingChild } from '../support/recordingChild.js';
import { streamingAgent } from '../support/scriptedTurns.js';
import { allEvents, integrityCheck, range } from '../support/sqlite.js';
import { useTempDir } from '../support/tempDb.js';
import { fillDisk, itWithTmpfs, useTmpfs } from '../support/tmpfs.js';

const tempDir = useTempDir();
const tmpfs = useTmpfs();

function isTextDelta(event: RunStreamEvent): boolean {
  return event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta';
}

describe('a store that fails mid-run', () => {
  itWithTmpfs('disk full: the run goes on unchanged, one warning, the recording marked partial', async () => {
    const disk = tmpfs(4 * 1024 * 1024);
    const path = join(disk, 'runs.db');
    const filler = join(disk, 'filler');
    const store = await openStore(path);
    // The disk has room again as soon as the recorder has said it stopped: the run's end still gets stored.
    const warnings: string[] = [];
    const warn = (message: string) => (warnings.push(message), rmSync(filler, { force: true }));
    const runner = new RecordingRunner({ tracingDisabled: true }, { db: path, warn });
    // A process that has recorded before: its writer thread is up, so it stores events while the run goes on.
    const warmUp = await runner.run(streamingAgent(['warm']), 'Hi.', { stream: true });
    await warmUp.completed;
    await recordingStored(warmUp);

    const deltas = range(150).map((i) => `${i}:`.padEnd(2048, 'x'));
    const result = await runner.run(streamingAgent(deltas, { deltaDelayMs: 2 }), 'Go on.', { stream: true });
    const runId = recordedRunId(result)!;

    const seen: RunStreamEvent[] = [];
    let filled = false;
    for await (const event of result) {
      seen.push(event);
      // The disk fills up under the recorder once it has stored the first events.
      if (!filled && ((await store.getRun(runId))?.eventCount ?? 0) >= 10) {
        fillDisk(filler);
        filled = true;
      }
    }
    await result.completed;
    await recordingStored(result);

    expect(filled).toBe(true);
    expect(result.finalOutput).toBe(deltas.join(''));
    expect(seen.filter(isTextDelta).map((e) => (e as { data: { delta: string } }).data.delta)).toEqual(deltas);
    expect(warnings).toEqual([expect.stringMatching(/^runtape: recording of run \w+ stopped \(disk full while writing .*\); the agent run goes on unrecorded$/)]);

    const run = (await store.getRun(runId))!;
    expect(run).toMatchObject({ status: 'completed', recording: 'partial', finalOutput: deltas.join('') });
    expect(run.recordingError).toMatch(/disk full/);
    const stored = await allEvents(store, run.id);
    // Stopped before the end, and what is there is a gap-free prefix of what the application saw.
    expect(stored.length).toBeGreaterThanOrEqual(10);
    expect(stored.length).toBeLessThan(seen.length + 1);
    expect(stored.map((e) => e.seq)).toEqual(range(stored.length));
    expect(stored.slice(1).map((e) => e.payload)).toEqual(seen.slice(0, stored.length - 1).map((e) => JSON.stringify(e)));
    await store.close();
    expect(integrityCheck(path)).toBe('ok');
  });

  it('read-only database: the run goes on unchanged, one warning, the file untouched', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o777); // only the database file is read-only, not the directory it is in
    const db = join(dir, 'runs.db');
    // A database with a run in it, then made read-only to everyone but root.
    expect(runCli(['demo', '--pace', '0', '--quiet', '--scenario', 'latency-regression'], { db }).status).toBe(0);
    chmodSync(db, 0o444);
    const before = readFileSync(db);

    const child = startRecordingChild({ db, deltas: 300 }, { wrap: asUnprivilegedUser() });
    const exit = await child.exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout.at(-1)).toBe(`done ${300 + 3}`); // every event reached the application
    const warning = exit.stderr.trimEnd().split('\n');
    expect(warning).toHaveLength(1);
    // Refused when the recorder opens the database, before the run starts: no half-written run is left.
    expect(warning[0]).toMatch(/^runtape: not recording \(database .*runs\.db is read-only \(no permission to write it\)\); agent runs go on unrecorded$/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});
