import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, it } from 'vitest';

function mount(dir: string, sizeBytes: number): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
}

function unmount(dir: string): void {
  execFileSync('umount', [dir], { stdio: 'pipe' });
  rmdirSync(dir);
}

/** Why a small filesystem of its own cannot be had here (mounting needs root), or null when it can. */
function probeTmpfs(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'runtape-tmpfs-probe-'));
  try {
    mount(dir, 64 * 1024);
  } catch (error) {
    rmdirSync(dir);
    return `cannot mount a tmpfs here (${String((error as { stderr?: unknown }).stderr ?? error).trim()})`;
  }
  unmount(dir);
  return null;
}

const tmpfsUnavailable: string | null = probeTmpfs();

/** A test that needs useTmpfs(): skipped, with the reason in its name, where mounting is not permitted. */
export function itWithTmpfs(name: string, fn: () => unknown): void {
  it.skipIf(tmpfsUnavailable !== null)(tmpfsUnavailable ? `${name} (skipped: ${tmpfsUnavailable})` : name, fn);
}

/** A fresh tmpfs of the given size per call, to fill up; unmounted after each test. */
export function useTmpfs(): (sizeBytes: number) => string {
  const mounted: string[] = [];
  afterEach(() => {
    for (const dir of mounted.splice(0)) unmount(dir);
  });
  return (sizeBytes) => {
    const dir = mkdtempSync(join(tmpdir(), 'runtape-tmpfs-'));
    mount(dir, sizeBytes);
    mounted.push(dir);
    return dir;
  };
}

/** Writes a file until the filesystem has no byte left (ENOSPC). */
export function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024, 0x2e);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}
