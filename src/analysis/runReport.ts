import type { RunStore } from '../store/runStore.js';
import type { AgentRecord, RunRecord } from '../store/types.js';
import { RunAnalyzer, type RunAnalysis } from './runAnalyzer.js';

/** Everything `runtape show` says about a run, as data (its --json output). */
export interface RunReport {
  run: RunRecord;
  agents: AgentRecord[];
  analysis: RunAnalysis;
}

export function buildRunReport(store: RunStore, run: RunRecord): RunReport {
  const analyzer = new RunAnalyzer();
  for (const event of store.iterateEvents(run.id)) analyzer.add(event);
  return { run, agents: store.agents(run.id), analysis: analyzer.result(run.durationUs ?? undefined) };
}
