import type { RunStore } from '../store/runStore.js';
import type { AgentRecord, RunRecord } from '../store/types.js';
import { analyzeEvents, type RunAnalysis } from './runAnalyzer.js';

/** Everything `runtape show` says about a run, as data (its --json output). */
export interface RunReport {
  run: RunRecord;
  agents: AgentRecord[];
  analysis: RunAnalysis;
}

export async function buildRunReport(store: RunStore, run: RunRecord): Promise<RunReport> {
  const analysis = await analyzeEvents(store.iterateEvents(run.id), run.durationUs ?? undefined);
  return { run, agents: await store.agents(run.id), analysis };
}
