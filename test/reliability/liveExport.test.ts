/**
 * Exporting a run while its recorder is still writing it: the file is the run as it stood when the export
 * began (a header whose event count matches its lines), and it imports as `incomplete`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importRunLines, exportRunLines } from '../../src/store/exchange.js';
import { openStore } from '../../src/store/openStore.js';
import { SqliteEngine } from '../../src/store/sqlite/sqliteEngine.js';
import { storeLargeRun } from '../support/largeRun.js';
import { allEvents, range } from '../support/sqlite.js';
import { useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();

describe('export of a run still being recorded', () => {
  it('is one consistent snapshot, though the recorder appends between its header and its last line, and imports as incomplete', async () => {
    const dir = tempDir();
    const db = join(dir, 'live.db');
    const store = await openStore(db);
    const runId = await storeLargeRun(store, 5_000, { status: 'running' });
    const stored = (await store.getRun(runId))!.eventCount;
    // The recorder's writer: a connection of its own, appending the way the writer thread does.
    const recorder = SqliteEngine.open(db);
    const more = (from: number) =>
      range(600).map((i) => ({ seq: from + i, tUs: 10 ** 9 + i, level: 'raw' as const, name: 'output_text_delta', agent: 'Triage Agent', payload: JSON.stringify({ type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: 'more ' } }) }));

    const lines: string[] = [];
    for await (const line of exportRunLines(store, runId)) {
      lines.push(line);
      // After the header, and again in the middle of the events: the run grows while the export reads it.
      if (lines.length === 1 || lines.length === 2_500) recorder.appendEvents(runId, more(recorder.lastSeq(runId) + 1));
    }
    recorder.close();

    const header = JSON.parse(lines[0]!);
    expect(header.run).toMatchObject({ id: runId, status: 'running', eventCount: stored });
    expect(lines.length - 1).toBe(header.run.eventCount);
    expect(lines.slice(1).map((l) => JSON.parse(l).seq)).toEqual(range(stored));
    expect((await store.getRun(runId))!.eventCount).toBe(stored + 1_200); // the recorder did go on

    const other = await openStore(join(dir, 'other.db'));
    const imported = await importRunLines(other, (async function* () { yield* lines; })(), 'live.jsonl');
    expect(imported).toMatchObject({ id: runId, status: 'incomplete', eventCount: stored, host: null, pid: null });
    expect((await allEvents(other, runId)).map((e) => e.payload)).toEqual((await allEvents(store, runId)).slice(0, stored).map((e) => e.payload));
    await other.close();
    await store.close();
  });
});
