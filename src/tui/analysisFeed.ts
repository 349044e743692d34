import { setTimeout as sleep } from 'node:timers/promises';
import { RunAnalyzer, type RunAnalysis } from '../analysis/runAnalyzer.js';
import type { RunStore } from '../store/runStore.js';

const WINDOW = 2000;

/**
 * Analyses a run (timing, counts, handoffs) in the background, a window of events at a time with the
 * event loop free in between: the inspector paints at once and stays responsive while a million-event
 * run is read, its figures filling in. Once caught up with a run still being recorded, it keeps
 * reading what is appended.
 */
export class AnalysisFeed {
  readonly #analyzer = new RunAnalyzer();
  #analysis: RunAnalysis;
  #nextSeq = 0;
  #caughtUp = false;
  #stopped = false;

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    private readonly options: {
      /** Whether the run may still grow (it is being recorded). */
      live: () => boolean;
      /** Events were analysed; `lastSeq` is the newest. */
      onUpdate: (lastSeq: number) => void;
      onError: (error: unknown) => void;
      pollMs?: number;
    },
  ) {
    this.#analysis = this.#analyzer.result();
  }

  get analysis(): RunAnalysis {
    return this.#analysis;
  }

  /** How far the analysis has got through `eventCount` events (1 once caught up). */
  progress(eventCount: number): number {
    return this.#caughtUp ? 1 : Math.min(0.99, this.#nextSeq / Math.max(1, eventCount));
  }

  start(): void {
    this.#run().catch((error: unknown) => {
      if (!this.#stopped) this.options.onError(error);
    });
  }

  stop(): void {
    this.#stopped = true;
  }

  async #run(): Promise<void> {
    // Not before the first frame is painted.
    await new Promise((resolve) => setImmediate(resolve));
    while (!this.#stopped) {
      const window = await this.store.readEvents(this.runId, { fromSeq: this.#nextSeq, limit: WINDOW });
      for (const event of window) this.#analyzer.add(event);
      const full = window.length === WINDOW;
      if (window.length > 0) {
        this.#nextSeq = window.at(-1)!.seq + 1;
        this.#analysis = this.#analyzer.result();
      }
      const caughtUpNow = !full && !this.#caughtUp;
      if (!full) this.#caughtUp = true;
      if (window.length > 0 || caughtUpNow) this.options.onUpdate(this.#nextSeq - 1);
      if (full) await new Promise((resolve) => setImmediate(resolve));
      else if (this.options.live()) await sleep(this.options.pollMs ?? 250);
      else return;
    }
  }
}
