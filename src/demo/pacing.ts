import type { DemoClock } from './clock.js';
import type { Random } from './random.js';

/** Simulated latency, scaled by `pace`, passing on a clock that is simulated (the default) or real. */
export interface Pacer {
  /** Waits about `ms` milliseconds, varied by ±`jitter` (a fraction of `ms`), times the pace. */
  wait(ms: number, jitter?: number): Promise<void>;
}

/** `pace` 1 is realistic timing, 0 does not wait at all, 0.1 is ten times faster. */
export function createPacer(pace: number, random: Random, clock: DemoClock): Pacer {
  if (!Number.isFinite(pace) || pace < 0) {
    throw new RangeError(`pace must be a finite number >= 0, got ${pace}`);
  }
  return {
    wait(ms, jitter = 0.25) {
      const delay = ms * (1 + jitter * (2 * random() - 1)) * pace;
      return delay > 0 ? clock.sleep(delay) : Promise.resolve();
    },
  };
}
