/**
 * A recording with gaps (events the recorder's writer lost while stuck) replays with each gap told where it
 * happened: a `recording_gap_stream_event` in `replay()`'s stream, a marker in every format of `runtape replay`.
 * The gaps are real: another connection holds the database's write lock while a CPU-bound run streams more
 * events than the writer may queue, so the recorder waits its second and then drops what it cannot hand over.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECORDING_GAP_EVENT, RecordingRunner, openStore, recordedRunId, recordingStored, replay, type ReplayedStreamEvent, type RunStore } from '../src/index.js';
import type { RunRecord, StoredEvent } from '../src/store/types.js';
import { runCli } from './support/cli.js';
import { streamingAgent } from './support/scriptedTurns.js';
import { allEvents } from './support/sqlite.js';
import { useSharedTempDir } from './support/tempDb.js';

const sharedDir = useSharedTempDir();
let store: RunStore;
let run: RunRecord;
let stored: StoredEvent[];
const GAP_LINE = /^── (#\d+–#\d+|#\d+): \d+ events? lost \(the recorder's writer was stuck or dead\)$/;

beforeAll(async () => {
  const path = join(sharedDir(), 'gaps.db');
  store = await openStore(path);
  // More than the writer may have queued (128 batches of 512) before the application waits for it.
  const agent = streamingAgent(Array.from({ length: 90_000 }, (_, i) => `t${i % 10} `));
  const runner = new RecordingRunner({ tracingDisabled: true }, { db: store, name: 'stuck writer', warn: () => {} });
  const result = await runner.run(agent, 'hi', { stream: true });
  const other = new Database(path);
  // From the first event until the run has ended, the writer cannot write.
  for await (const event of result) {
    if (!other.inTransaction) other.exec('BEGIN IMMEDIATE');
    void event;
  }
  await result.completed;
  other.exec('ROLLBACK');
  other.close();
  await recordingStored(result);
  run = (await store.getRun(recordedRunId(result)!))!;
  stored = await allEvents(store, run.id);
}, 120_000);

/** The seqs a run's gaps cover. */
const lostSeqs = (gaps: RunRecord['gaps']) => gaps.flatMap((g) => Array.from({ length: g.toSeq - g.fromSeq + 1 }, (_, i) => g.fromSeq + i));

describe('a recording with gaps', () => {
  it('has them: the stored seqs and the gaps together cover the run', () => {
    expect(run.gaps.length).toBeGreaterThan(0);
    const seqs = [...stored.map((e) => e.seq), ...lostSeqs(run.gaps)].sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i));
  });

  it('replay() streams a recording_gap_stream_event where each gap is, whatever the filter', async () => {
    for (const levels of [undefined, ['agent', 'item'] as const]) {
      const replayed: ReplayedStreamEvent[] = [];
      const result = await replay(store, run.id, { speed: 'instant', ...(levels ? { levels } : {}) });
      for await (const event of result) replayed.push(event);
      await result.completed;
      expect(replayed.filter((e) => e.type === RECORDING_GAP_EVENT).map((e) => e.gap)).toEqual(run.gaps);
      if (levels) continue;
      // Each gap comes after the events stored before it (seq 0, the recorder's starting_agent, is not replayed).
      const firstGap = replayed.findIndex((e) => e.type === RECORDING_GAP_EVENT);
      expect(firstGap).toBe(run.gaps[0]!.fromSeq - 1);
      expect(replayed.filter((e) => e.type !== RECORDING_GAP_EVENT)).toHaveLength(stored.length - 1);
    }
  });

  it('runtape replay marks each gap in the text, events and jsonl formats', () => {
    const text = runCli(['replay', run.id, '--speed', 'instant'], { db: store.location });
    expect(text.status).toBe(0);
    const markers = text.stdout.split('\n').filter((line) => line.includes('lost ('));
    expect(markers).toHaveLength(run.gaps.length);
    for (const marker of markers) expect(marker).toMatch(GAP_LINE);
    expect(markers[0]).toContain(`#${run.gaps[0]!.fromSeq}`);

    const events = runCli(['replay', run.id, '--speed', 'instant', '--format', 'events', '--levels', 'agent'], { db: store.location }).stdout.split('\n');
    expect(events.filter((line) => / gap +#\d+/.test(line))).toHaveLength(run.gaps.length);

    // In jsonl, a gap line sits between the events stored before and after it.
    const lines = runCli(['replay', run.id, '--speed', 'instant', '--format', 'jsonl'], { db: store.location })
      .stdout.trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq?: number; gap?: { fromSeq: number; toSeq: number } });
    const gapLines = lines.flatMap((line, i) => (line.gap ? [i] : []));
    expect(gapLines.map((i) => lines[i]!.gap)).toEqual(run.gaps);
    for (const i of gapLines) {
      const { fromSeq, toSeq } = lines[i]!.gap!;
      const before = lines.slice(0, i).findLast((line) => line.seq !== undefined);
      const after = lines.slice(i + 1).find((line) => line.seq !== undefined);
      expect(before?.seq).toBeLessThan(fromSeq);
      if (after) expect(after.seq).toBeGreaterThan(toSeq);
    }
  });
});
