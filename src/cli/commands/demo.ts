import { RecordingRunner } from '../../recorder/recordingRunner.js';
import { recordedRunId, recordingStoredWithin } from '../../recorder/record.js';
import { notStored } from './record.js';
import type { RunStore } from '../../store/runStore.js';
import { RuntapeError } from '../../errors.js';
import { formatDuration } from '../../display/format.js';
import { followRun, type LiveOutput } from '../liveOutput.js';

export interface DemoOptions {
  pace?: string;
  scenario?: string[];
  quiet?: boolean;
  live?: boolean;
}

/** Records the offline demo scenarios (no API key needed); returns the run ids, the main scenario first. */
export async function demoCommand(store: RunStore, options: DemoOptions, out: LiveOutput): Promise<string[]> {
  const { createDemoRun, demoScenarios, realTimeClock, SimulatedClock } = await import('../../demo/index.js');
  const pace = options.pace === undefined ? 1 : Number(options.pace);
  if (!Number.isFinite(pace) || pace < 0) throw new RuntapeError(`--pace: expected a number ≥ 0, got "${options.pace}"`);
  const wanted = options.scenario?.length ? options.scenario : demoScenarios.map((s) => s.name);
  for (const name of wanted) {
    if (!demoScenarios.some((s) => s.name === name)) {
      throw new RuntapeError(`unknown demo scenario "${name}" (known: ${demoScenarios.map((s) => s.name).join(', ')})`);
    }
  }
  // One clock for the whole session: on a simulated one too, the runs start one after another, as in real time.
  const clock = options.live ? realTimeClock : new SimulatedClock();
  const ids: string[] = [];
  for (const name of wanted) {
    const demo = createDemoRun(name, { pace, clock });
    const runner = new RecordingRunner({}, { db: store, name: `demo: ${name}`, tags: ['demo'], clock });
    out.marker(`▶ ${name}: ${demo.input}`);
    const result = await runner.run(demo.startingAgent, demo.input, { stream: true });
    await followRun(result, options.quiet ? { text: () => {}, marker: () => {} } : out);
    await result.completed;
    if (!(await recordingStoredWithin(result))) throw notStored(recordedRunId(result)!, store.location);
    const run = (await store.getRun(recordedRunId(result)!))!;
    ids.push(run.id);
    out.marker(`■ recorded run ${run.id.slice(0, 8)}  ${run.status}  ${run.eventCount} events  ${formatDuration(run.durationUs)}\n`);
  }
  return ids;
}
