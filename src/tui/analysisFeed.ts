import { RunAnalyzer, type RunAnalysis } from '../analysis/runAnalyzer.js';
import type { RunStore } from '../store/runStore.js';
import type { StoredEvent } from '../store/types.js';
import { WindowFeed, type WindowFeedOptions } from './windowFeed.js';

/** The run's analysis (timing, counts, handoffs), filled in by a background read of every event. */
export class AnalysisFeed extends WindowFeed {
  readonly #analyzer = new RunAnalyzer();
  #analysis: RunAnalysis = this.#analyzer.result();

  constructor(store: RunStore, runId: string, options: Omit<WindowFeedOptions, 'filter'>) {
    super(store, runId, options);
  }

  get analysis(): RunAnalysis {
    return this.#analysis;
  }

  protected onWindow(events: readonly StoredEvent[]): void {
    for (const event of events) this.#analyzer.add(event);
    this.#analysis = this.#analyzer.result();
  }
}
