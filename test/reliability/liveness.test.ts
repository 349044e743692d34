/**
 * A recorder killed where its host and pid say nothing (another container, another PID namespace) must not
 * leave its run `running` forever: its writer thread's heartbeat stops, and readers derive `incomplete`.
 * The recorder runs under `unshare --pid`: its pid there is 1, which on this host is a live process (init),
 * exactly as a recorder in another container looks.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startRecordingChild } from '../support/recordingChild.js';
import { useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();
const canUnshare = spawnSync('unshare', ['--pid', '--fork', '--kill-child', 'true']).status === 0;
/** Readers call a heartbeat stale after this (the writer beats every second): a short wait for the test. */
const STALE_MS = 3000;

function listed(db: string): { id: string; status: string; pid: number | null }[] {
  const out = runCli(['ls', '--json'], { db, env: { RUNTAPE_HEARTBEAT_STALE_MS: String(STALE_MS) } });
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout);
}

const namespaced = { wrap: ['unshare', '--pid', '--fork', '--kill-child'] };

describe('a recorder in another PID namespace', () => {
  it.skipIf(!canUnshare)('beats from its writer thread while the application thread is starved', async () => {
    const db = join(tempDir(), 'starved.db');
    const child = startRecordingChild({ db, deltas: 400_000, starveAfterConsumed: 5_000 }, namespaced);
    const runId = await child.line('run ');
    // The application's thread never yields while it watches: only the writer thread can move the heartbeat.
    expect(await child.line('starved heartbeat ')).toBe('moved');
    expect(listed(db)).toEqual([expect.objectContaining({ id: runId, status: 'running', pid: 1 })]);
    child.process.kill('SIGKILL');
    await child.exited;
  }, 60_000);

  it.skipIf(!canUnshare)('killed, leaves its run incomplete once its heartbeat is stale, though its pid is alive here; reading writes nothing', async () => {
    const db = join(tempDir(), 'killed.db');
    const child = startRecordingChild({ db, deltas: 400_000, idleAfterConsumed: 5_000 }, namespaced);
    const runId = await child.line('run ');
    await child.line('consumed ');
    expect(listed(db)).toEqual([expect.objectContaining({ id: runId, status: 'running', pid: 1 })]);

    child.process.kill('SIGKILL');
    await child.exited;
    // pid 1 is alive on this host: only the heartbeat can tell. Read until it is stale (bounded).
    const deadline = Date.now() + 5 * STALE_MS;
    let status = 'running';
    while (status === 'running' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, STALE_MS / 4));
      status = listed(db)[0]!.status;
    }
    expect(status).toBe('incomplete');
    // Derived, not written: reading it again changes no byte of the database.
    const files = [db, `${db}-wal`];
    const bytes = () => files.map((f) => readFileSync(f).toString('base64')).join();
    const before = bytes();
    expect(listed(db)[0]!.status).toBe('incomplete');
    expect(runCli(['show', runId], { db, env: { RUNTAPE_HEARTBEAT_STALE_MS: String(STALE_MS) } }).stdout).toMatch(/incomplete/);
    expect(bytes()).toBe(before);
  }, 60_000);
});
