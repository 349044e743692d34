/**
 * Deterministic randomness: the demo should look organic (jittered timing, opaque ids)
 * yet produce the same run for the same seed, so recordings and tests are reproducible.
 */
export type Random = () => number;

/** mulberry32: tiny and fast; statistical quality is ample for jitter and ids. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of `label` mixed with `seed`: independent streams (per scenario, per purpose) from one seed. */
export function deriveSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
