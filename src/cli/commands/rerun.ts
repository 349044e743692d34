import type { AgentInputItem } from '@openai/agents';
import { RuntapeError, errorMessage } from '../../errors.js';
import { recordedRunId, recordingStoredWithin } from '../../recorder/record.js';
import { RecordingRunner } from '../../recorder/recordingRunner.js';
import { DivergenceError } from '../../rerun/divergenceError.js';
import { readRecordedRun } from '../../rerun/recordedRun.js';
import { diffRuns } from '../../rerun/runDiff.js';
import type { RunStore } from '../../store/runStore.js';
import { disableTracingWithoutKey, loadAgent } from '../agentModule.js';
import { formatDifferences, formatJson, formatTiming } from '../differenceReport.js';
import { notStored } from './record.js';

export interface RerunCommandOptions {
  module: string;
  match?: string;
  until?: string;
  json?: boolean;
}

const MATCHES = ['strict', 'sequence'] as const;

function parseMatch(text: string | undefined): (typeof MATCHES)[number] {
  if (text === undefined) return 'strict';
  const match = MATCHES.find((m) => m === text);
  if (!match) throw new RuntapeError(`--match: expected strict or sequence (got "${text}")`);
  return match;
}

function parseUntil(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw new RuntapeError(`--until: expected a call number such as 2 (got "${text}")`);
  return Number(text);
}

function rerunnableInput(input: unknown, runId: string): string | AgentInputItem[] {
  if (typeof input === 'string' || Array.isArray(input)) return input as string | AgentInputItem[];
  throw new RuntapeError(`run ${runId} continued a RunState: its input cannot be given to a new run`);
}

/**
 * `runtape rerun RUN --module app.ts`: runs the Agent the module exports on the recorded run's input, every
 * model call answered from the recording (calls after `--until` go to the agents' own models), records the new
 * run and prints how it differs from the recorded one. Resolves true when it does not.
 */
export async function rerunCommand(store: RunStore, ref: string, options: RerunCommandOptions, print: (text: string) => void): Promise<boolean> {
  const match = parseMatch(options.match);
  const until = parseUntil(options.until);
  const source = await store.resolveRun(ref);
  const input = rerunnableInput(source.input, source.id);
  const agent = await loadAgent(options.module);
  await disableTracingWithoutKey();
  const runner = new RecordingRunner(
    {},
    { db: store, name: `rerun of ${source.name ?? source.id.slice(0, 8)}`, rerun: { run: source.id, match, ...(until !== undefined ? { until } : {}) } },
  );
  const result = await runner.run(agent, input, { stream: true });
  const runId = recordedRunId(result)!;
  // Another process's lock on the database would keep the new run's recording waiting: the command says so and ends.
  const stored = async () => {
    if (!(await recordingStoredWithin(result))) throw notStored(runId, store.location);
  };
  let divergence: DivergenceError | undefined;
  try {
    for await (const _ of result);
    await result.completed;
  } catch (error) {
    await stored();
    if (!(error instanceof DivergenceError)) {
      throw new RuntapeError(`the re-run failed: ${errorMessage(error).split('\n')[0]} (recorded as run ${runId})`);
    }
    divergence = error;
  }
  await stored();
  const diff = divergence ? undefined : diffRuns(await readRecordedRun(store, source), await readRecordedRun(store, await store.resolveRun(runId)));
  const differences = divergence ? [divergence.difference] : diff!.differences;
  const equal = differences.length === 0;
  if (options.json) {
    print(formatJson({ source: source.id, run: runId, match, equal, diverged: divergence !== undefined, differences, ...(diff ? { timing: diff.timing } : {}) }));
    return equal;
  }
  const labels = { a: 'recorded', b: 'now' };
  const outcome = divergence
    ? `diverged at call ${divergence.difference.call ?? '?'}, where the run stopped`
    : equal
      ? 'no differences'
      : `${differences.length} ${differences.length === 1 ? 'difference' : 'differences'}`;
  print(`re-ran run ${source.id.slice(0, 8)} as run ${runId.slice(0, 8)} (${match}): ${outcome}`);
  for (const line of formatDifferences(differences, labels)) print(line);
  if (diff) print(formatTiming(diff.timing, labels));
  return equal;
}
