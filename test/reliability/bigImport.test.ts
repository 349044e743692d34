/**
 * A big import (a million events) must not stop the recorders writing to the same database: it is staged in
 * bounded transactions, invisible, and published in one short transaction. An import killed part-way leaves
 * nothing any reader sees, and the next import removes what it staged. The import reads from a FIFO, so the
 * test decides how far it has got: the properties are checked while it is provably still running.
 */
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, createReadStream, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { exportRunLines } from '../../src/store/exchange.js';
import { runCli } from '../support/cli.js';
import { storeLargeRun } from '../support/largeRun.js';
import { startRecordingChild } from '../support/recordingChild.js';
import { integrityCheck, rowCounts } from '../support/sqlite.js';
import { useSharedTempDir, useTempDir } from '../support/tempDb.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const tempDir = useTempDir();
const sharedDir = useSharedTempDir();

/** The big run's export, and a small one, generated once for the file. */
let big: { file: string; runId: string; events: number };
let small: { file: string; runId: string };

async function exportTo(store: Awaited<ReturnType<typeof openStore>>, runId: string, file: string): Promise<void> {
  const out = createWriteStream(file);
  for await (const line of exportRunLines(store, runId)) if (!out.write(line + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

beforeAll(async () => {
  const dir = sharedDir();
  const store = await openStore(join(dir, 'source.db'));
  const bigId = await storeLargeRun(store, 1_000_000);
  big = { file: join(dir, 'big.jsonl'), runId: bigId, events: (await store.getRun(bigId))!.eventCount };
  await exportTo(store, bigId, big.file);
  const smallId = await storeLargeRun(store, 2_000);
  small = { file: join(dir, 'small.jsonl'), runId: smallId };
  await exportTo(store, smallId, small.file);
  await store.close();
}, 300_000);

/** The offset just after the line that ends past `fraction` of the file. */
function lineBoundaryAt(file: string, fraction: number): number {
  const at = Math.floor(statSync(file).size * fraction);
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  const read = readSync(fd, buffer, 0, buffer.length, at);
  closeSync(fd);
  const newline = buffer.subarray(0, read).indexOf(10);
  return at + newline + 1;
}

/** `runtape import` reading from a FIFO that the test feeds part by part. */
function importThroughFifo(db: string) {
  const fifo = join(tempDir(), 'import.fifo');
  execFileSync('mkfifo', [fifo]);
  const importer = spawn(process.execPath, [MAIN, '--db', db, 'import', fifo], { env: { ...process.env, OPENAI_AGENTS_DISABLE_TRACING: '1' } });
  let stdout = '';
  let stderr = '';
  importer.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  importer.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    importer.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const pipe = createWriteStream(fifo);
  pipe.on('error', () => {}); // the importer killed: the test goes on without it
  return {
    importer,
    exited,
    /** Writes bytes [start, end) of `file` into the FIFO. */
    async feed(file: string, start: number, end: number): Promise<void> {
      for await (const chunk of createReadStream(file, { start, end: end - 1 })) if (!pipe.write(chunk)) await once(pipe, 'drain');
    },
    end: () => pipe.end(),
  };
}

/** Waits (bounded) until the import has committed this many staged blocks; a runtape that stages nothing never gets there. */
async function stagedBlocks(db: string, atLeast: number): Promise<number> {
  const deadline = Date.now() + 120_000;
  let blocks = 0;
  while (Date.now() < deadline && (blocks = rowCounts(db).event_blocks ?? 0) < atLeast) await new Promise((r) => setTimeout(r, 200));
  return blocks;
}

describe('a big import beside a recorder', () => {
  it('lets another process record a whole run while a million-event import is in progress, invisible until it is published', async () => {
    const db = join(tempDir(), 'shared.db');
    expect(runCli(['import', small.file], { db }).status).toBe(0);
    const half = lineBoundaryAt(big.file, 0.5);
    const importing = importThroughFifo(db);
    await importing.feed(big.file, 0, half);
    // Half the run staged: committed rows another connection can count, yet no reader lists it.
    expect(await stagedBlocks(db, 800)).toBeGreaterThanOrEqual(800);
    expect(JSON.parse(runCli(['ls', '--json'], { db }).stdout).map((r: { id: string }) => r.id)).toEqual([small.runId]);
    expect(runCli(['show', big.runId], { db }).stderr).toMatch(/no run/);

    // A recorder in another process, from start to stored end, while the import waits for the rest of its input.
    const child = startRecordingChild({ db, deltas: 2_000 });
    const finished = await Promise.race([child.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    expect(finished, 'the recorder finished its run during the import').not.toBeNull();
    expect(finished).toMatchObject({ code: 0, stderr: '' });
    const runId = finished!.stdout.find((l) => l.startsWith('run '))!.slice(4);
    const seen = Number(finished!.stdout.find((l) => l.startsWith('done '))!.slice(5));
    const store = await openStore(db, { readonly: true });
    expect(await store.getRun(runId)).toMatchObject({ status: 'completed', recording: 'complete', eventCount: seen + 1 });
    await store.close();
    expect(importing.importer.exitCode).toBeNull(); // the import is still going: it has not had its input's end

    await importing.feed(big.file, half, statSync(big.file).size);
    importing.end();
    const exit = await importing.exited;
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toMatch(new RegExp(`imported run ${big.runId} .*\\(${big.events} events\\)`));
    const after = await openStore(db, { readonly: true });
    expect((await after.listRuns()).map((r) => r.id).sort()).toEqual([big.runId, runId, small.runId].sort());
    expect(await after.getRun(big.runId)).toMatchObject({ status: 'completed', eventCount: big.events });
    expect(await after.lastSeq(big.runId)).toBe(big.events - 1);
    await after.close();
    expect(integrityCheck(db)).toBe('ok');
  }, 600_000);

  it('leaves nothing a reader sees when the importer is killed part-way, and the next import removes what it staged', async () => {
    const db = join(tempDir(), 'killed.db');
    expect(runCli(['ls'], { db }).status).toBe(0);
    const importing = importThroughFifo(db);
    await importing.feed(big.file, 0, lineBoundaryAt(big.file, 0.2));
    await stagedBlocks(db, 100);
    importing.importer.kill('SIGKILL');
    await importing.exited;

    expect(JSON.parse(runCli(['ls', '--json'], { db }).stdout)).toEqual([]);
    expect(runCli(['show', big.runId], { db }).stderr).toMatch(/no run/);
    // The next import (of another run) finds the dead importer's staged run and removes it.
    expect(runCli(['import', small.file], { db }).status).toBe(0);
    expect(rowCounts(db)).toMatchObject({ runs: 1, pending_imports: 0, run_agents: 3, agent_descriptions: 3 });
    const store = await openStore(db, { readonly: true });
    expect((await store.listRuns()).map((r) => r.id)).toEqual([small.runId]);
    const blocksOfSmall = rowCounts(db).event_blocks;
    await store.close();
    const fresh = join(tempDir(), 'fresh.db');
    expect(runCli(['import', small.file], { db: fresh }).status).toBe(0);
    expect(blocksOfSmall).toBe(rowCounts(fresh).event_blocks); // nothing of the big run is left
    expect(integrityCheck(db)).toBe('ok');
  }, 300_000);
});
