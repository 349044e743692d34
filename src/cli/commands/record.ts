import { Agent } from '@openai/agents';
import { RuntapeError, errorMessage } from '../../errors.js';
import { sanitizeLine } from '../../events/sanitize.js';
import { RecordingRunner } from '../../recorder/recordingRunner.js';
import { defaultWarn, recordedRunId, recordingStoredWithin } from '../../recorder/record.js';
import { checkDatabaseFile } from '../../store/databaseFiles.js';
import { disableTracingWithoutKey, loadAgent } from '../agentModule.js';
import { followRun, type LiveOutput } from '../liveOutput.js';

export interface RecordCommandOptions {
  name?: string;
  tag?: string[];
}

/**
 * Runs the module's agent, streamed, recording it into the database at `dbPath`. A database the recorder
 * cannot use (read-only, corrupt, newer) is one warning, and the agent runs unrecorded: returns null then.
 */
export async function recordCommand(dbPath: string, file: string, inputWords: string[], options: RecordCommandOptions, out: LiveOutput): Promise<string | null> {
  // A path that names no database file at all (a FIFO, a device) is a mistake in the command line: refused.
  checkDatabaseFile(dbPath);
  const agent = await loadAgent(file);
  if (!(agent instanceof Agent)) {
    // E.g. a CommonJS module, which gets the SDK's CommonJS build: the run is recorded, but the module's SDK settings are not ours.
    out.marker(`runtape: warning: ${sanitizeLine(file)} uses another instance of @openai/agents than runtape's; its setDefaultOpenAIClient and other SDK settings do not apply (make it an ES module: "type": "module" or .mts)`);
  }
  await disableTracingWithoutKey();
  const input = inputWords.join(' ').trim() || 'Hello!';
  let unrecorded = false;
  const warn = (message: string) => {
    unrecorded = true;
    defaultWarn(message);
  };
  const runner = new RecordingRunner({}, { db: dbPath, name: options.name ?? agent.name, tags: options.tag ?? [], warn });
  const abort = new AbortController();
  // Ctrl-C ends the run the way a consumer would: it is recorded as cancelled, and nothing is lost.
  const onInterrupt = () => abort.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const result = await runner.run(agent, input, { stream: true, signal: abort.signal });
    const runId = recordedRunId(result)!;
    try {
      await followRun(result, out);
      await result.completed;
    } catch (error) {
      const stored = !unrecorded && (await recordingStoredWithin(result));
      throw new RuntapeError(`the agent run failed: ${errorMessage(error).split('\n')[0]}${stored ? ` (recorded as run ${runId})` : ''}`);
    }
    if (unrecorded) return null;
    if (!(await recordingStoredWithin(result))) throw notStored(runId, dbPath);
    return runId;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** The writer still waits for the database: another process holds its lock. The run went on; its recording is lost. */
export function notStored(runId: string, dbPath: string): RuntapeError {
  return new RuntapeError(`run ${runId} was not recorded: database ${dbPath} is locked by another process (try again when it is done)`);
}
