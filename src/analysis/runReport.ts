import type { ModelCallRecord } from '../capture/types.js';
import type { RunStore } from '../store/runStore.js';
import { capturesIfReadable } from '../store/unreadableCaptures.js';
import type { AgentRecord, RunRecord } from '../store/types.js';
import { childRunsOf, type ChildRunLink } from './childRuns.js';
import { analyzeEvents, type RunAnalysis } from './runAnalyzer.js';

/** Everything `runtape show` says about a run, as data (its --json output). */
export interface RunReport {
  run: RunRecord;
  agents: AgentRecord[];
  analysis: RunAnalysis;
  /** Each agent's instructions as its first model call sent them (function instructions resolved), when calls were captured. */
  instructionsSent: { agent: string; call: number; instructions: string | null }[];
  /** The runs agents used as tools ran in this run's tool calls, in the order they started. */
  childRuns: ChildRunLink[];
}

export async function buildRunReport(store: RunStore, run: RunRecord): Promise<RunReport> {
  const analysis = await analyzeEvents(store.iterateEvents(run.id), run.durationUs ?? undefined);
  // Both kinds at once: a run's captures are one archive, inflated once.
  const captures = await capturesIfReadable(() => store.capturesOfKinds(run.id, ['modelCall', 'toolCall']));
  const shown = captures ? run : { ...run, unreadable: [...(run.unreadable ?? []), 'captures'] };
  return {
    run: shown,
    agents: await store.agents(run.id),
    analysis,
    instructionsSent: firstInstructions(captures?.modelCall ?? []),
    childRuns: await childRunsOf(store, run, captures?.toolCall ?? []),
  };
}

function firstInstructions(calls: readonly ModelCallRecord[]): RunReport['instructionsSent'] {
  const seen = new Map<string, RunReport['instructionsSent'][number]>();
  for (const c of calls) if (!seen.has(c.agent)) seen.set(c.agent, { agent: c.agent, call: c.call, instructions: c.instructions });
  return [...seen.values()];
}
