/**
 * `runtape handoffs` reads only what handoffs need: the blocks whose summary columns name a handoff or an
 * agent change, and each handoff's turn back to its start; never the blocks of text deltas in between.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../src/analysis/runAnalyzer.js';
import { handoffsCommand } from '../src/cli/commands/handoffs.js';
import { SqliteRunStore } from '../src/store/sqlite/sqliteRunStore.js';
import { runCli } from './support/cli.js';
import { storeLargeRun } from './support/largeRun.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();

/**
 * What `runtape handoffs --json` prints, as data, without what it adds from the captures (the requesting
 * call, the input filter): the rest is what the analysis of the events finds.
 */
async function handoffsJson(store: SqliteRunStore, runId: string): Promise<{ path: string[]; handoffs: unknown[] }> {
  const printed: string[] = [];
  await handoffsCommand(store, runId, { json: true }, (text) => printed.push(text));
  const read = JSON.parse(printed.join('\n')) as { path: string[]; handoffs: Record<string, unknown>[] };
  return { ...read, handoffs: read.handoffs.map(({ call: _call, inputFilter: _filter, ...fromEvents }) => fromEvents) };
}

describe('runtape handoffs', () => {
  it('finds what the full analysis finds, reasons included, in the demo runs', async () => {
    const db = join(tempDir(), 'demo.db');
    expect(runCli(['demo', '--pace', '0', '--quiet'], { db }).status).toBe(0);
    const store = SqliteRunStore.open(db, { readonly: true });
    const runs = await store.listRuns();
    expect(runs.length).toBeGreaterThanOrEqual(3);
    let handoffs = 0;
    for (const run of runs) {
      const full = await analyzeEvents(store.iterateEvents(run.id), run.durationUs ?? undefined);
      const read = await handoffsJson(store, run.id);
      expect(read).toEqual({ runId: run.id, path: full.agentPath, handoffs: full.handoffs });
      handoffs += full.handoffs.length;
      expect(full.handoffs.filter((h) => h.reason !== null).length).toBeGreaterThan(0);
    }
    expect(handoffs).toBeGreaterThan(3);
    await store.close();
  });

  it('reads a few blocks per handoff of a 300k-event run, not the run', async () => {
    const db = join(tempDir(), 'large.db');
    const writer = SqliteRunStore.open(db);
    // Long turns (2,000 deltas), a handoff every tenth: some 15 handoffs among 600 blocks.
    const runId = await storeLargeRun(writer, 300_000, { deltasPerTurn: 2_000 });
    await writer.close();

    const whole = SqliteRunStore.open(db, { readonly: true });
    const full = await analyzeEvents(whole.iterateEvents(runId));
    const blocks = whole.engine.blocksRead;
    await whole.close();
    expect(full.handoffs.length).toBeGreaterThanOrEqual(10);
    expect(full.handoffs.every((h) => h.reason !== null)).toBe(true);

    const store = SqliteRunStore.open(db, { readonly: true });
    expect(await handoffsJson(store, runId)).toEqual({ runId, path: full.agentPath, handoffs: full.handoffs });
    // The block with the handoff, and the one its turn started in: at most three a handoff, counting the agent change's.
    expect(store.engine.blocksRead).toBeLessThanOrEqual(3 * full.handoffs.length + 1);
    expect(store.engine.blocksRead).toBeLessThan(blocks / 10);
    await store.close();
  });
});
