/**
 * Where a recording's timestamps come from. The default is the system's monotonic clock; a simulated clock
 * (the demo's) gives a realistic recorded timeline without waiting for it.
 */
export interface RecordingClock {
  /** Monotonic milliseconds, like `performance.now()`: event offsets are differences of these. */
  now(): number;
  /** Epoch milliseconds: the run's wall-clock start. */
  wallNow(): number;
}

export const systemClock: RecordingClock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
};
