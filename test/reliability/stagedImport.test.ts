/**
 * An import is staged in bounded transactions that other connections see committed, yet no reader sees the
 * run until it is published; a failing import removes all it staged.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { exportRunLines, importRunLines } from '../../src/store/exchange.js';
import { storeLargeRun } from '../support/largeRun.js';
import { rowCounts } from '../support/sqlite.js';
import { useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();

async function exportedLines(dir: string, events: number): Promise<{ runId: string; lines: string[] }> {
  const store = await openStore(join(dir, 'source.db'));
  const runId = await storeLargeRun(store, events);
  const lines: string[] = [];
  for await (const line of exportRunLines(store, runId)) lines.push(line);
  await store.close();
  return { runId, lines };
}

describe('a staged import', () => {
  it('commits its events in batches no reader sees, then publishes the run whole; a bad line after them removes all it staged', async () => {
    const dir = tempDir();
    const { runId, lines } = await exportedLines(dir, 20_000);
    const db = join(dir, 'target.db');
    const store = await openStore(db);
    const reader = await openStore(db, { readonly: true });
    const empty = rowCounts(db);

    let seenMidway: { counts: Record<string, number>; listed: number; found: boolean } | undefined;
    async function* failing(): AsyncGenerator<string> {
      for (const [i, line] of lines.entries()) {
        if (i === 15_000) seenMidway = { counts: rowCounts(db), listed: (await reader.listRuns()).length, found: (await reader.getRun(runId)) !== undefined };
        yield i === 18_000 ? '{"seq": "broken"' : line;
      }
    }
    await expect(importRunLines(store, failing(), 'run.jsonl')).rejects.toThrow(/run\.jsonl:18001: not valid JSON.*nothing was imported/);
    // Midway, most of the run was committed (another connection counts its blocks), yet invisible to readers.
    expect(seenMidway!.counts.event_blocks).toBeGreaterThanOrEqual(20);
    expect(seenMidway!.listed).toBe(0);
    expect(seenMidway!.found).toBe(false);
    // The failure removed every row it had staged.
    expect(rowCounts(db)).toEqual(empty);

    // The same file whole imports, and is then visible, whole.
    async function* whole(): AsyncGenerator<string> {
      yield* lines;
    }
    const imported = await importRunLines(store, whole(), 'run.jsonl');
    expect(imported).toMatchObject({ id: runId, eventCount: lines.length - 1 });
    expect((await reader.listRuns()).map((r) => r.id)).toEqual([runId]);
    expect(rowCounts(db)).toMatchObject({ runs: 1, pending_imports: 0 });
    await reader.close();
    await store.close();
  });
});
