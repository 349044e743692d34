/** The text a benchmark's model streams: short words, one per delta, as a model's tokens come. */
const WORDS = ['The', ' refund', ' for', ' the', ' duplicate', ' charge', ' has', ' been', ' issued', '.', '\n'];

/** `count` deltas of the benchmark's text. */
export function deltaWords(count: number): string[] {
  return Array.from({ length: count }, (_, i) => WORDS[i % WORDS.length]!);
}

/** The deltas of a warm-up run (to warm the JIT and start the writer thread). */
export const WARM_UP_DELTAS = deltaWords(8);
