import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { terminalSafeJson } from '../events/sanitize.js';
import { toJsonText } from '../events/serialize.js';
import { exportRunLines, importRunLines } from '../store/exchange.js';
import type { RunStore } from '../store/runStore.js';

/**
 * A fixture file: the runs of one test, in the order the test made them, each as `runtape export` writes it
 * (a header line, its events, its captures), one after the other. No format of its own: each run imports as
 * any export does, checked line by line.
 */

/** Writes the runs into the file at once (a reader never sees half a fixture), making its folder if need be. */
export async function writeFixture(file: string, store: RunStore, runIds: readonly string[]): Promise<void> {
  const lines: string[] = [];
  for (const id of runIds) {
    let header = true;
    for await (const line of exportRunLines(store, id)) {
      lines.push(header ? withoutMachine(line) : line);
      header = false;
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, lines.join('\n') + '\n');
  renameSync(staging, file);
}

/**
 * The header without the host and process that recorded the run: a fixture is committed, and neither the
 * machine's name nor a pid means anything to whoever replays it (nor should they change a fixture's diff).
 */
function withoutMachine(headerLine: string): string {
  const header = JSON.parse(headerLine) as { run: { host: unknown; pid: unknown } };
  header.run.host = null;
  header.run.pid = null;
  return terminalSafeJson(toJsonText(header));
}

/**
 * Imports the fixture's runs into `store` (a run it holds already, from an earlier replay in this process,
 * is kept) and returns their ids in order. A bad line fails with the file, its line number and what is wrong.
 */
export async function readFixture(file: string, store: RunStore): Promise<string[]> {
  const ids: string[] = [];
  for (const { firstLine, lines } of runsOf(readFileSync(file, 'utf8'))) {
    const id = runIdOf(lines[0]!);
    if (id !== undefined && (await store.getRun(id))) {
      ids.push(id);
      continue;
    }
    ids.push((await importRunLines(store, listed(lines), file, firstLine)).id);
  }
  return ids;
}

/** The file's runs: each begins at a header line (the first line always does, to be reported if it is not one). */
function runsOf(text: string): { firstLine: number; lines: string[] }[] {
  const runs: { firstLine: number; lines: string[] }[] = [];
  text.split('\n').forEach((line, i) => {
    if (runs.length === 0 || isHeader(line)) runs.push({ firstLine: i + 1, lines: [] });
    runs.at(-1)!.lines.push(line);
  });
  return runs;
}

function isHeader(line: string): boolean {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null && 'format' in value;
  } catch {
    return false;
  }
}

function runIdOf(headerLine: string): string | undefined {
  try {
    const id = (JSON.parse(headerLine) as { run?: { id?: unknown } }).run?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

async function* listed(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}
