import type { Random } from './random.js';

/** Simulated latency, scaled by `pace` so tests can run the same scripts without waiting. */
export interface Pacer {
  /** Waits about `ms` milliseconds, varied by ±`jitter` (a fraction of `ms`), times the pace. */
  wait(ms: number, jitter?: number): Promise<void>;
}

/** `pace` 1 is realistic timing, 0 schedules no timers at all, 0.1 is ten times faster. */
export function createPacer(pace: number, random: Random): Pacer {
  if (!Number.isFinite(pace) || pace < 0) {
    throw new RangeError(`pace must be a finite number >= 0, got ${pace}`);
  }
  return {
    wait(ms, jitter = 0.25) {
      const delay = ms * (1 + jitter * (2 * random() - 1)) * pace;
      return delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay)) : Promise.resolve();
    },
  };
}
