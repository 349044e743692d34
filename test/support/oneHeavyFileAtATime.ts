/**
 * The heavy test files (vitest.config.ts) run one at a time: each loads the machine, or needs it not loaded by
 * another. vitest can run a project's files one at a time only with nothing else beside them
 * (fileParallelism: false takes a group of its own), which left one core idle through most of them. So the
 * heavy project runs its files in parallel, beside the README's commands, and each heavy file holds this lock
 * from its first hook to its last (a setup file of that project).
 *
 * The lock is a file holding its owner's pid, created exclusively; one whose owner has died (a worker that
 * crashed mid-file) is taken over. It is named after the vitest process that started the workers, so
 * another run, in this checkout or another, has a lock of its own.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';

const LOCK = join(tmpdir(), `runtape-heavy-tests-${process.ppid}.lock`);
/** Long enough to wait out every other heavy file (its own timeouts bound how long it holds the lock). */
const WAIT_MS = 30 * 60_000;
const POLL_MS = 200;

function tryLock(): boolean {
  try {
    const fd = openSync(LOCK, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (!isAlive(Number(readFileSync(LOCK, 'utf8')))) rmSync(LOCK, { force: true });
    return false;
  }
}

/** Whether a process lives; a pid not written yet (the owner between creating and writing the file) counts as alive. */
function isAlive(pid: number): boolean {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

let held = false;

beforeAll(async () => {
  while (!tryLock()) await sleep(POLL_MS);
  held = true;
}, WAIT_MS);

// Only by its owner: a file that gave up waiting leaves the lock to the file that holds it.
afterAll(() => {
  if (held) rmSync(LOCK, { force: true });
});
