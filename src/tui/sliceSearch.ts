import type { EventFilter, RunStore } from '../store/runStore.js';
import type { StoredEvent } from '../store/types.js';

/**
 * Seqs one slice of a search reads: some milliseconds of decompressing and matching, the longest a key waits
 * for a search that is running (a whole million-event run takes about half a second).
 */
export const SEARCH_SLICE_SEQS = 8192;

/** A stretch of seqs to search, in the search's direction: `fromSeq` first (backward, `fromSeq` >= `toSeq`). */
export interface SearchLeg {
  fromSeq: number;
  toSeq: number;
}

export interface SliceSearch {
  direction: 1 | -1;
  /** Searched in order: e.g. the rest of the run, then from the other end around to where it started. */
  legs: readonly SearchLeg[];
  filter: EventFilter;
  /** True once a newer search (or closing the page) has taken over: this one stops before its next slice. */
  cancelled: () => boolean;
  /** After each slice: the share of the legs' seqs searched so far, 0 to 1. */
  progress?: (share: number) => void;
}

export type SliceSearchResult = { event: StoredEvent; leg: number } | 'none' | 'cancelled';

const legLength = (leg: SearchLeg, direction: 1 | -1) => Math.max(0, (leg.toSeq - leg.fromSeq) * direction + 1);

/** The event loop's turn: keys, paints and timers run between two slices. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The first event of the legs that passes the filter, read a slice at a time with the event loop turning in
 * between, so that a search with no match never holds the keys for longer than one slice.
 */
export async function searchInSlices(store: RunStore, runId: string, search: SliceSearch): Promise<SliceSearchResult> {
  const { direction, legs } = search;
  const total = legs.reduce((sum, leg) => sum + legLength(leg, direction), 0);
  let searched = 0;
  for (const [index, leg] of legs.entries()) {
    for (let start = leg.fromSeq; (leg.toSeq - start) * direction >= 0; start += SEARCH_SLICE_SEQS * direction) {
      if (search.cancelled()) return 'cancelled';
      const end = direction === 1 ? Math.min(leg.toSeq, start + SEARCH_SLICE_SEQS - 1) : Math.max(leg.toSeq, start - SEARCH_SLICE_SEQS + 1);
      const [event] = await store.readEvents(runId, { fromSeq: start, toSeq: end, limit: 1, backward: direction === -1, filter: search.filter });
      if (event) return { event, leg: index };
      searched += legLength({ fromSeq: start, toSeq: end }, direction);
      search.progress?.(total === 0 ? 1 : searched / total);
      await nextTurn();
    }
  }
  return search.cancelled() ? 'cancelled' : 'none';
}
