import { createReadStream, existsSync } from 'node:fs';
import { RuntapeError } from '../../errors.js';
import { LineTooLongError, maxLineBytesFromEnv, readLines } from '../../io/lineReader.js';
import { openOutput } from '../../io/safeOutput.js';
import { databaseFiles } from '../../store/databaseFiles.js';
import { exportRunLines, importRunLines } from '../../store/exchange.js';
import type { RunStore } from '../../store/runStore.js';
import type { RunRecord } from '../../store/types.js';
import { sanitizeLine } from '../../events/sanitize.js';

/** Writes a run as JSON lines to a file (never over the database, a device or a FIFO; see openOutput) or to stdout (`-o -`). */
export async function exportCommand(store: RunStore, ref: string, options: { output?: string }, print: (text: string) => void): Promise<void> {
  const run = await store.resolveRun(ref);
  const out = openOutput(options.output, databaseFiles(store.location));
  try {
    for await (const line of exportRunLines(store, run.id)) await out.write(line + '\n');
    await out.commit();
  } catch (error) {
    out.abort();
    throw error;
  }
  if (out.file !== null) print(`exported run ${run.id} (${run.eventCount} events) to ${sanitizeLine(out.file)}`);
}

export async function importCommand(store: RunStore, file: string, print: (text: string) => void): Promise<void> {
  if (!existsSync(file)) throw new RuntapeError(`no such file: ${file}`);
  const maxBytes = maxLineBytesFromEnv();
  const input = createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', (e: NodeJS.ErrnoException) => reject(new RuntapeError(`cannot read ${file}: ${e.code ?? e.message}`)));
  });
  await opened;
  const run = await importRunLines(store, readLines(input, { source: file, maxBytes }), file).catch((error: unknown) => {
    throw error instanceof LineTooLongError ? new RuntapeError(`${error.message}; nothing was imported`) : error;
  });
  print(`imported run ${run.id}${run.name ? ` "${sanitizeLine(run.name)}"` : ''} (${run.eventCount} events)`);
}

export async function removeCommand(store: RunStore, refs: string[], print: (text: string) => void): Promise<void> {
  // Resolve every name first: one bad name removes nothing.
  const runs: RunRecord[] = [];
  for (const ref of refs) runs.push(await store.resolveRun(ref));
  for (const run of runs) {
    await store.deleteRun(run.id);
    print(`removed run ${run.id}${run.name ? ` "${sanitizeLine(run.name)}"` : ''} (${run.eventCount} events)`);
  }
}
