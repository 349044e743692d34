import { RuntapeError, errorMessage } from '../../errors.js';
import { RecordingRunner } from '../../recorder/recordingRunner.js';
import { recordedRunId, recordingStored } from '../../recorder/record.js';
import type { RunStore } from '../../store/runStore.js';
import { disableTracingWithoutKey, loadAgent } from '../agentModule.js';
import { followRun, type LiveOutput } from '../liveOutput.js';

export interface RecordCommandOptions {
  name?: string;
  tag?: string[];
}

export async function recordCommand(store: RunStore, file: string, inputWords: string[], options: RecordCommandOptions, out: LiveOutput): Promise<string> {
  const agent = await loadAgent(file);
  await disableTracingWithoutKey();
  const input = inputWords.join(' ').trim() || 'Hello!';
  const runner = new RecordingRunner({}, { db: store, name: options.name ?? agent.name, tags: options.tag ?? [] });
  const abort = new AbortController();
  // Ctrl-C ends the run the way a consumer would: it is recorded as cancelled, and nothing is lost.
  const onInterrupt = () => abort.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const result = await runner.run(agent, input, { stream: true, signal: abort.signal });
    try {
      await followRun(result, out);
      await result.completed;
    } catch (error) {
      await recordingStored(result);
      throw new RuntapeError(`the agent run failed: ${errorMessage(error).split('\n')[0]} (recorded as run ${recordedRunId(result)})`);
    }
    await recordingStored(result);
    return recordedRunId(result)!;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
