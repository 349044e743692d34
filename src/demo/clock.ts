import { systemClock, type RecordingClock } from '../recorder/clock.js';

/**
 * The time a demo run's simulated latencies (model, tools) pass on. It is also the clock to record the run
 * with, so the recorded timeline is the one the latencies make up.
 */
export interface DemoClock extends RecordingClock {
  /** Resolves once `ms` milliseconds have passed on this clock. */
  sleep(ms: number): Promise<void>;
}

/** Real time: the run takes as long as its latencies say (to watch it stream, or to follow it being recorded). */
export const realTimeClock: DemoClock = {
  ...systemClock,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface SimulatedTimer {
  at: number;
  resolve: () => void;
}

/**
 * Simulated time: a sleep costs no real time, yet the clock reads as if it had passed. Sleeps end in the order
 * of their end times, one at a time, each when everything else has run as far as it can (the microtask queue
 * is empty), which is when real time would pass. So concurrent sleeps overlap as they would in real time: two
 * tools called in parallel take as long as the slower one, not the sum.
 *
 * This holds for work that waits on nothing but this clock, as the demo's scripted models and tools do; work
 * that waits on real I/O would see simulated time jump ahead meanwhile.
 */
export class SimulatedClock implements DemoClock {
  #nowMs = 0;
  readonly #wallStartMs: number;
  /** Pending sleeps by end time; equal end times in the order they were asked for. */
  readonly #timers: SimulatedTimer[] = [];
  #advanceScheduled = false;

  /** `wallStartMs`: the epoch time at which simulated time starts. */
  constructor(wallStartMs: number = Date.now()) {
    this.#wallStartMs = wallStartMs;
  }

  now(): number {
    return this.#nowMs;
  }

  wallNow(): number {
    return this.#wallStartMs + this.#nowMs;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const at = this.#nowMs + Math.max(0, ms);
      const later = this.#timers.findIndex((timer) => timer.at > at);
      this.#timers.splice(later === -1 ? this.#timers.length : later, 0, { at, resolve });
      this.#scheduleAdvance();
    });
  }

  /** setImmediate runs once the microtask queue is empty: nothing can happen before the next sleep ends. */
  #scheduleAdvance(): void {
    if (this.#advanceScheduled) return;
    this.#advanceScheduled = true;
    setImmediate(() => {
      this.#advanceScheduled = false;
      const next = this.#timers.shift()!;
      this.#nowMs = next.at;
      next.resolve();
      // The next one only after what this one wakes up has run (and perhaps asked for an earlier end).
      if (this.#timers.length > 0) this.#scheduleAdvance();
    });
  }
}
