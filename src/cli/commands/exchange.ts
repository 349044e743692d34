import { createReadStream, createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { RuntapeError } from '../../errors.js';
import { exportRunLines, importRunLines } from '../../store/exchange.js';
import type { RunStore } from '../../store/runStore.js';
import type { RunRecord } from '../../store/types.js';
import { sanitizeLine } from '../../events/sanitize.js';

/** Writes a run as JSON lines to a file (atomically: a partial file never takes the name) or to stdout. */
export async function exportCommand(store: RunStore, ref: string, options: { output?: string }, print: (text: string) => void): Promise<void> {
  const run = await store.resolveRun(ref);
  const target = options.output;
  const partPath = target ? `${target}.part-${process.pid}` : undefined;
  const out = partPath ? createWriteStream(partPath) : process.stdout;
  try {
    for await (const line of exportRunLines(store, run.id)) {
      if (!out.write(line + '\n')) await once(out, 'drain');
    }
    if (partPath) {
      out.end();
      await once(out, 'finish');
      renameSync(partPath, target!);
      print(`exported run ${run.id} (${run.eventCount} events) to ${sanitizeLine(target!)}`);
    }
  } catch (error) {
    if (partPath) {
      out.destroy();
      rmSync(partPath, { force: true });
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new RuntapeError(`disk full while writing ${target}; nothing was written`);
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOENT') throw new RuntapeError(`cannot write ${target}: ${code}`);
    throw error;
  }
}

export async function importCommand(store: RunStore, file: string, print: (text: string) => void): Promise<void> {
  if (!existsSync(file)) throw new RuntapeError(`no such file: ${file}`);
  const input = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', (e: NodeJS.ErrnoException) => reject(new RuntapeError(`cannot read ${file}: ${e.code ?? e.message}`)));
  });
  await opened;
  const lines = createInterface({ input, crlfDelay: Infinity });
  const run = await importRunLines(store, lines, file);
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
