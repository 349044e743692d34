import { Agent } from '@openai/agents';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntapeError, errorMessage } from '../../errors.js';
import { sanitizeLine } from '../../events/sanitize.js';
import { RecordingRunner } from '../../recorder/recordingRunner.js';
import { defaultWarn, recordedRunId, recordingStoredWithin } from '../../recorder/record.js';
import { checkDatabaseFile } from '../../store/databaseFiles.js';
import { followRun, type LiveOutput } from '../liveOutput.js';

function looksLikeAgent(value: unknown): value is Agent<any, any> {
  // Duck-typed: a module may still load its own copy of @openai/agents (one installed beside it), so instanceof could say no.
  return typeof value === 'object' && value !== null && typeof (value as Agent).name === 'string' && Array.isArray((value as Agent).handoffs);
}

/** Loads an agent module (.ts through tsx, .js/.mjs natively): its default export or its `agent` export. */
async function loadAgent(file: string): Promise<Agent<any, any>> {
  const path = resolve(file);
  if (!existsSync(path)) throw new RuntapeError(`no such file: ${file}`);
  let module: Record<string, unknown>;
  try {
    // tsx is registered for the whole process, not scoped (`tsImport` would load the module and everything it
    // imports, @openai/agents included, as separate copies): the module must get the recorder's SDK instance, or its
    // setDefaultOpenAIClient, providers and processors would never reach the recorded run.
    // The CommonJS hook too, for a .ts module in a package without "type": "module" (tsx loads it as CommonJS).
    if (/\.(c|m)?tsx?$/.test(path)) {
      (await import('tsx/cjs/api')).register();
      (await import('tsx/esm/api')).register();
    }
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new RuntapeError(`cannot load ${file}: ${errorMessage(error).split('\n')[0]}`);
  }
  const candidate = [module.default, module.agent, (module.default as Record<string, unknown> | undefined)?.agent].find(looksLikeAgent);
  if (!candidate) throw new RuntapeError(`${file} exports no Agent (export it as default or as \`agent\`)`);
  return candidate;
}

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
  if (!process.env.OPENAI_API_KEY) {
    // Without a key no trace could be exported; the SDK would only complain about it on every run.
    const { setTracingDisabled } = await import('@openai/agents');
    setTracingDisabled(true);
  }
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
