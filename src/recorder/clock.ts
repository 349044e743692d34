/**
 * Where a recording's timestamps come from: event offsets and durations from `now`, a run's start from
 * `wallNow`. Real applications use the system clock; a simulation (the offline demo) passes its own, so
 * what it records is its simulated timeline rather than the little real time it took to compute it.
 */
export interface RecordingClock {
  /** monotonic milliseconds (like performance.now()) */
  now(): number;
  /** epoch ms */
  wallNow(): number;
}

export const systemClock: RecordingClock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
};
