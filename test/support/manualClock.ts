import type { ReplayClock } from '../../src/replay/clock.js';

/**
 * A clock that moves only when told: the replay's schedule can be read off exactly. `runNextTimer`
 * jumps to the earliest pending timer and fires it, as if that much time had passed.
 */
export class ManualClock implements ReplayClock {
  #now = 1_000;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #ids = 0;

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const id = ++this.#ids;
    this.#timers.push({ at: this.#now + Math.max(0, ms), fn, id });
    return () => {
      this.#timers = this.#timers.filter((t) => t.id !== id);
    };
  }

  /** How many timers are waiting. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  /** Fires the earliest timer; false when none is pending. */
  runNextTimer(): boolean {
    this.#timers.sort((a, b) => a.at - b.at);
    const timer = this.#timers.shift();
    if (!timer) return false;
    this.#now = Math.max(this.#now, timer.at);
    timer.fn();
    return true;
  }
}

/** Settles `promise`, firing the clock's timers whenever nothing else can make progress. */
export async function settleWith<T>(clock: ManualClock, promise: Promise<T>): Promise<T> {
  let settled = false;
  const result = promise.finally(() => {
    settled = true;
  });
  for (;;) {
    // Let every pending microtask and immediate run before deciding time must pass.
    await new Promise((resolve) => setImmediate(resolve));
    if (settled) return result;
    if (!clock.runNextTimer()) throw new Error('replay is waiting, but no timer is pending');
  }
}
