/**
 * `export -o PATH` writes a whole file or nothing, and replaces only a regular file: never the database it
 * reads, a device, a FIFO or a directory, and through a symbolic link the file it points to.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from '../support/cli.js';
import { useSharedTempDir, useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();
const sharedDir = useSharedTempDir();

let db: string;
let exported: string;
beforeAll(() => {
  db = join(sharedDir(), 'runs.db');
  expect(runCli(['demo', '--pace', '0', '--quiet', '--scenario', 'latency-regression'], { db }).status).toBe(0);
  exported = runCli(['export', 'last'], { db }).stdout;
  expect(exported.split('\n')[0]).toMatch(/^\{"format":"runtape-run"/);
});

/**
 * A character device to write at: a private copy of /dev/null when root may make one (as root a rename
 * would replace the real /dev/null), else /dev/null itself, which an unprivileged rename cannot touch.
 */
function characterDevice(dir: string): string {
  if (process.getuid?.() !== 0) return '/dev/null';
  const device = join(dir, 'null');
  execFileSync('mknod', [device, 'c', '1', '3']);
  return device;
}

describe('export -o', () => {
  it('writes to stdout for -, leaving no file named -', () => {
    const dir = tempDir();
    const out = runCli(['export', 'last', '-o', '-'], { db, cwd: dir });
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(exported);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses the open database, leaving it unchanged', () => {
    const before = readFileSync(db);
    expectOneLineError(runCli(['export', 'last', '-o', db], { db }), /refusing to write .*runs\.db: it is the database/);
    const link = join(tempDir(), 'link.db');
    symlinkSync(db, link);
    expectOneLineError(runCli(['export', 'last', '-o', link], { db }), /refusing to write .*link\.db: it is the database/);
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(runCli(['ls', '--json'], { db }).status).toBe(0);
  });

  it('refuses a device, a FIFO and a directory, each left as it was, nothing beside them', () => {
    const dir = tempDir();
    const device = characterDevice(dir);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const directory = join(dir, 'directory');
    mkdirSync(directory);
    const toFifo = join(dir, 'to-fifo');
    symlinkSync(fifo, toFifo);
    const cases: [string, RegExp][] = [
      [device, /it is a device, not a regular file/],
      [fifo, /it is a FIFO, not a regular file/],
      [toFifo, /it is a FIFO, not a regular file/],
      [directory, /it is a directory, not a regular file/],
    ];
    for (const [path, why] of cases) expectOneLineError(runCli(['export', 'last', '-o', path], { db }), why);
    expect(statSync(device).isCharacterDevice()).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(toFifo).isSymbolicLink()).toBe(true);
    expect(readdirSync(directory)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['directory', 'fifo', 'to-fifo', ...(device.startsWith(dir) ? ['null'] : [])].sort());
  });

  it('replaces a regular file, and through a symbolic link the file it points to, the link kept', () => {
    const dir = tempDir();
    const elsewhere = join(tempDir(), 'real.jsonl');
    writeFileSync(elsewhere, 'old contents\n', { mode: 0o640 });
    const link = join(dir, 'run.jsonl');
    symlinkSync(elsewhere, link);
    const out = runCli(['export', 'last', '-o', link], { db });
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/^exported run [0-9a-f]+ \(\d+ events\) to .*run\.jsonl\n$/);
    expect(readlinkSync(link)).toBe(elsewhere);
    expect(readFileSync(elsewhere, 'utf8')).toBe(exported);
    expect(statSync(elsewhere).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['run.jsonl']);
    const plain = join(dir, 'plain.jsonl');
    writeFileSync(plain, 'old');
    expect(runCli(['export', 'last', '-o', plain], { db }).status).toBe(0);
    expect(readFileSync(plain, 'utf8')).toBe(exported);
  });
});
