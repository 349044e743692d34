import { RunAnalyzer, type RunAnalysis } from '../analysis/runAnalyzer.js';
import type { RunStore } from '../store/runStore.js';
import { WindowFeed, type WindowFeedOptions } from './windowFeed.js';

/** The run's analysis (timing, counts, handoffs), filled in by a background read of every event. */
export class AnalysisFeed {
  readonly #analyzer = new RunAnalyzer();
  readonly #feed: WindowFeed;
  #analysis: RunAnalysis;

  constructor(store: RunStore, runId: string, options: Omit<WindowFeedOptions, 'filter' | 'onWindow'>) {
    this.#analysis = this.#analyzer.result();
    this.#feed = new WindowFeed(store, runId, {
      ...options,
      onWindow: (events) => {
        for (const event of events) this.#analyzer.add(event);
        this.#analysis = this.#analyzer.result();
      },
    });
  }

  get analysis(): RunAnalysis {
    return this.#analysis;
  }

  progress(eventCount: number): number {
    return this.#feed.progress(eventCount);
  }

  start(): void {
    this.#feed.start();
  }

  stop(): void {
    this.#feed.stop();
  }
}
