import type { SeqRange } from '../store/types.js';

/**
 * Follows a replay through a recording's gaps (events its recorder's writer lost, `RunRecord.gaps`), so that
 * each is told where it happened: just before the first event delivered after it, or at the end. Only seqs
 * count, so a filtered replay tells every gap too (what was lost is unknown, so it may have matched).
 */
export class GapMarks {
  readonly #gaps: readonly SeqRange[];
  /** The seq of the last event delivered (or where the replay starts). */
  #after: number;

  constructor(gaps: readonly SeqRange[], afterSeq = -1) {
    this.#gaps = gaps;
    this.#after = afterSeq;
  }

  /** The gaps between the last event delivered and this one, which is delivered next. */
  before(seq: number): SeqRange[] {
    const passed = this.#gaps.filter((gap) => gap.toSeq > this.#after && gap.fromSeq < seq);
    this.#after = seq;
    return passed;
  }

  /** The gaps after the last event delivered, up to `toSeq`: the events lost at the end of what is replayed. */
  rest(toSeq = Number.POSITIVE_INFINITY): SeqRange[] {
    return this.#gaps.filter((gap) => gap.toSeq > this.#after && gap.fromSeq <= toSeq);
  }
}
