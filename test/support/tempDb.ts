import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

function newTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'runtape-test-'));
}

/** A fresh directory per test for real database files; removed afterwards. */
export function useTempDir(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = newTempDir();
    dirs.push(dir);
    return dir;
  };
}

/** One directory for all the tests of a file (say, a database they share); removed after the last. */
export function useSharedTempDir(): () => string {
  let dir: string | undefined;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => (dir ??= newTempDir());
}
