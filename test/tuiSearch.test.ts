/**
 * Searching a large run never holds the inspector's keys: the search reads the run a slice at a time, off the
 * key path, and a new search cancels the one running. In tmux on a million-event run, and on the slices
 * themselves against a real store.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/openStore.js';
import type { RunStore } from '../src/store/runStore.js';
import { SEARCH_SLICE_SEQS, searchInSlices } from '../src/tui/sliceSearch.js';
import { storeLargeRun } from './support/largeRun.js';
import { useSharedTempDir } from './support/tempDb.js';
import { TmuxTerminal, requireTmux } from './support/tmux.js';

const sharedDir = useSharedTempDir();
const EVENTS = 1_000_000;
let db: string;
let store: RunStore;
let runId: string;

beforeAll(async () => {
  requireTmux();
  db = join(sharedDir(), 'large.db');
  store = await openStore(db);
  runId = await storeLargeRun(store, EVENTS);
}, 300_000);
afterAll(() => store.close());

let terminal: TmuxTerminal | undefined;
afterEach(() => {
  terminal?.kill();
  terminal = undefined;
});

/** The footer: the level filter, then the search. */
const footerOf = (screen: string) => screen.split('\n').find((line) => line.includes('R raw')) ?? '';

describe('searching a million-event run in the inspector', () => {
  it('answers keys while a search with no match runs: a key takes effect before the search ends', async () => {
    terminal = TmuxTerminal.start(['--db', db, 'inspect', runId], { cols: 160, rows: 40 });
    await terminal.waitFor('starting_agent');
    terminal.keys('/');
    await terminal.waitFor('search payloads:');
    terminal.type('no event says this');
    terminal.keys('Enter');
    await terminal.waitFor((screen) => footerOf(screen).includes('searching…'));
    // Raw events hidden while the search runs: the footer shows the key's effect and the search still running, in one frame.
    terminal.keys('R');
    const during = await terminal.waitFor((screen) => footerOf(screen).includes('[ ] R raw'));
    expect(footerOf(during)).toMatch(/\/no event says this {2}searching… \d+%/);
    const after = await terminal.waitFor('no shown event contains "no event says this"', 60_000);
    expect(after).not.toContain('searching…');
  });
});

describe('searchInSlices', () => {
  const noMatch = { text: 'no event says this' };

  it('reads the run a slice at a time, the event loop turning between slices, and finds what one read finds', async () => {
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const shares: number[] = [];
    const result = await searchInSlices(store, runId, { direction: 1, legs: [{ fromSeq: 0, toSeq: 99_999 }], filter: noMatch, cancelled: () => false, progress: (share) => shares.push(share) });
    counting = false;
    expect(result).toBe('none');
    const slices = Math.ceil(100_000 / SEARCH_SLICE_SEQS);
    expect(shares).toHaveLength(slices);
    expect(shares.at(-1)).toBe(1);
    // Other work ran between every two slices.
    expect(turns).toBeGreaterThanOrEqual(slices - 1);

    for (const [direction, fromSeq, toSeq] of [[1, 500_000, EVENTS - 1], [-1, 500_000, 0]] as const) {
      const filter = { text: 'WORD42 ' };
      const [expected] = await store.readEvents(runId, { fromSeq, limit: 1, backward: direction === -1, filter });
      expect(await searchInSlices(store, runId, { direction, legs: [{ fromSeq, toSeq }], filter, cancelled: () => false })).toEqual({ event: expected, leg: 0 });
    }
    // The second leg: around from the other end.
    const [first] = await store.readEvents(runId, { fromSeq: 0, limit: 1, filter: { text: 'handoff_occurred' } });
    const wrapped = await searchInSlices(store, runId, {
      direction: 1,
      legs: [{ fromSeq: EVENTS - 10, toSeq: EVENTS - 1 }, { fromSeq: 0, toSeq: EVENTS - 11 }],
      filter: { text: 'handoff_occurred' },
      cancelled: () => false,
    });
    expect(wrapped).toEqual({ event: first, leg: 1 });
  });

  it('stops before its next slice once cancelled (a new search began)', async () => {
    let slices = 0;
    const result = await searchInSlices(store, runId, { direction: 1, legs: [{ fromSeq: 0, toSeq: EVENTS - 1 }], filter: noMatch, cancelled: () => slices >= 2, progress: () => slices++ });
    expect(result).toBe('cancelled');
    expect(slices).toBe(2);
  });

  it('a window read stops at toSeq, forward and backward', async () => {
    const filter = { text: 'handoff_occurred' };
    const [first] = await store.readEvents(runId, { fromSeq: 0, limit: 1, filter });
    expect(await store.readEvents(runId, { fromSeq: 0, toSeq: first!.seq - 1, limit: 1, filter })).toEqual([]);
    expect(await store.readEvents(runId, { fromSeq: 0, toSeq: first!.seq, limit: 5, filter })).toEqual([first]);
    expect(await store.readEvents(runId, { fromSeq: first!.seq + 1000, toSeq: first!.seq + 1, limit: 1, backward: true, filter })).toEqual([]);
    expect(await store.readEvents(runId, { fromSeq: first!.seq + 1000, toSeq: first!.seq, limit: 5, backward: true, filter })).toEqual([first]);
  });
});
