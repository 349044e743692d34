/**
 * Every command against a database that is missing, write-locked by another process, read-only, corrupt, or
 * of a newer schema: either exit 0 with the right output, or one sanitized line and a non-zero exit; never a
 * stack trace, and the database's bytes unchanged (a missing one stays missing unless the command creates it).
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { asUnprivilegedUser, expectOneLineError, runCli, runCliAll, runCliAsync, type CliResult } from '../support/cli.js';
import { useSharedTempDir, useTempDir } from '../support/tempDb.js';

const sharedDir = useSharedTempDir();
const tempDir = useTempDir();
const AGENT_MODULE = fileURLToPath(new URL('../fixtures/scriptedAgent.ts', import.meta.url));
const DEMO_MODULE = fileURLToPath(new URL('../../examples/support-desk.ts', import.meta.url));

type State = 'missing' | 'locked' | 'read-only' | 'corrupt' | 'newer schema';
const STATES: State[] = ['missing', 'locked', 'read-only', 'corrupt', 'newer schema'];

/** A database with one recorded run, closed cleanly, and that run's export. */
let template: string;
let exportFile: string;
/** What each reading command prints from the template, read normally. */
const expected = new Map<string, string>();

const READS: string[][] = [
  ['ls'],
  ['ls', '--json'],
  ['show', 'last'],
  ['handoffs', 'last'],
  ['calls', 'last', '--json'],
  ['replay', 'last', '--speed', 'instant'],
  ['export', 'last'],
  ['diff', 'last', 'last', '--json'],
  ['script', 'last'],
];

beforeAll(async () => {
  const dir = sharedDir();
  chmodSync(dir, 0o755);
  template = join(dir, 'template.db');
  expect(runCli(['demo', '--pace', '0', '--quiet', '--scenario', 'duplicate-charge-and-outage'], { db: template }).status).toBe(0);
  exportFile = join(dir, 'run.jsonl');
  writeFileSync(exportFile, runCli(['export', 'last'], { db: template }).stdout);
  chmodSync(exportFile, 0o644);
  const outs = await runCliAll(READS, { db: template });
  for (const [i, out] of outs.entries()) {
    expect(out.status).toBe(0);
    expected.set(READS[i]!.join(' '), out.stdout);
  }
}, 120_000);

/** A database in the given state, in a directory of its own; `release` undoes what holds it (the lock). */
function prepare(state: State): { db: string; wrap: string[]; release: () => void } {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  const db = join(dir, 'runs.db');
  const none = { db, wrap: [], release: () => {} };
  if (state === 'missing') return none;
  copyFileSync(template, db);
  switch (state) {
    case 'locked': {
      // Another process's writer in the middle of a transaction: it holds the write lock.
      const holder = new Database(db);
      holder.exec('BEGIN IMMEDIATE');
      return { ...none, release: () => (holder.exec('ROLLBACK'), holder.close()) };
    }
    case 'read-only': {
      // The file and its directory: as on a read-only share. Root ignores permissions: run as nobody.
      chmodSync(db, 0o444);
      chmodSync(dir, 0o555);
      return { ...none, wrap: asUnprivilegedUser(), release: () => chmodSync(dir, 0o755) };
    }
    case 'corrupt': {
      // The first page's b-tree (the schema) overwritten: the header still says SQLite.
      const bytes = readFileSync(db);
      bytes.fill(0xa5, 100, 4096);
      writeFileSync(db, bytes);
      return none;
    }
    case 'newer schema': {
      const raw = new Database(db);
      raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      raw.close();
      return none;
    }
  }
}

/** A digest of the database's files' bytes (absent ones as such). */
function snapshot(db: string): string[] {
  return [db, `${db}-wal`].map((f) => (existsSync(f) ? createHash('sha256').update(readFileSync(f)).digest('hex') : 'absent'));
}

/** Commands one after another, each seeing what the one before left. */
async function runInTurn(run: (args: string[]) => Promise<CliResult>, commands: string[][]): Promise<CliResult[]> {
  const outs: CliResult[] = [];
  for (const command of commands) outs.push(await run(command));
  return outs;
}

function expectNoStack(out: CliResult): void {
  expect(out.stderr).not.toMatch(/\n\s+at /);
  expect(out.stderr).not.toMatch(/unexpected error/);
}

describe('every command against a database that cannot be used as it is', () => {
  for (const state of STATES) {
    it(`${state}: the right output or one line, and the database unchanged`, async () => {
      const { db, wrap, release } = prepare(state);
      const before = snapshot(db);
      const options = { db, wrap, timeoutMs: 30_000 };
      const run = (args: string[]) => runCliAsync(args, options);
      const runAll = (commands: string[][]) => runCliAll(commands, options);
      const inspect = ['inspect', 'last'];
      const rerunCommand = ['rerun', 'last', '--module', DEMO_MODULE];
      const writes: Record<string, string[]> = { rm: ['rm', 'last'], import: ['import', exportFile], demo: ['demo', '--pace', '0', '--quiet', '--scenario', 'latency-regression'] };
      const record = ['record', AGENT_MODULE, 'hi'];
      try {
        // Against a missing database each write creates it for the next (and record finds it): those run one
        // after another, once the commands that must find nothing are done. Elsewhere nothing can change the
        // database: every command at once (each mostly starts up or waits on the lock).
        const firstOuts = runAll([...READS, inspect, rerunCommand]);
        const laterOuts = state === 'missing' ? firstOuts.then(() => runInTurn(run, [...Object.values(writes), record])) : runAll([...Object.values(writes), record]);
        const [readOuts, writeOuts] = await Promise.all([firstOuts, laterOuts]);

        const unusable = state === 'corrupt' ? /is corrupt|not a runtape database/ : state === 'newer schema' ? /newer than this runtape supports/ : /.*/;
        // Reading commands.
        for (const [i, out] of readOuts.slice(0, READS.length).entries()) {
          const command = READS[i]!;
          expectNoStack(out);
          if (state === 'locked' || state === 'read-only') {
            // A writer's lock never stops a reader (WAL); a read-only database reads as any other.
            expect({ command, status: out.status, stderr: out.stderr }).toEqual({ command, status: 0, stderr: '' });
            expect(out.stdout).toBe(expected.get(command.join(' ')));
          } else if (state === 'missing') {
            if (command[0] === 'ls') expect(out).toMatchObject({ status: 0, stderr: '', stdout: command[1] === '--json' ? '[]\n' : expect.stringMatching(/^no runs yet in /) });
            else expectOneLineError(out, /no database at .*runs\.db/);
          } else {
            expectOneLineError(out, unusable);
          }
        }
        // The inspector needs a terminal: without one, it says so (or that there is nothing to inspect).
        expectOneLineError(readOuts[READS.length]!, /needs a terminal|no runs yet|no database|corrupt|not a runtape database|newer than|read-only|locked/);

        // rerun: it reads the recording and records the new run, so it needs a database it can write; it
        // creates none. It fails with 2, as the comparing commands do (their 1 says two runs differ).
        const rerun = readOuts[READS.length + 1]!;
        expectNoStack(rerun);
        if (state === 'missing') expectOneLineError(rerun, /no database at .*runs\.db/);
        else expectOneLineError(rerun, state === 'locked' ? /locked by another process/ : state === 'read-only' ? /read-only/ : unusable);
        expect(rerun.status).toBe(2);

        // Commands that write.
        for (const [i, [name]] of Object.entries(writes).entries()) {
          const out = writeOuts[i]!;
          expectNoStack(out);
          if (state === 'missing' && name !== 'rm') {
            expect({ name, status: out.status, stderr: out.stderr }).toEqual({ name, status: 0, stderr: name === 'demo' ? expect.any(String) : '' });
            continue;
          }
          const why =
            state === 'missing' ? /no database at/ : state === 'locked' ? /locked by another process/ : state === 'read-only' ? /read-only/ : unusable;
          if (name === 'demo') expect(out.stderr.trimEnd().split('\n').filter((l) => !/^[▶■]/.test(l)).join('\n')).toMatch(why);
          else expectOneLineError(out, why);
        }

        // record: the agent runs whatever the database; unrecorded, it says so once.
        const recorded = writeOuts[Object.keys(writes).length]!;
        expectNoStack(recorded);
        expect(recorded.stdout).toMatch(/\S/); // the agent's answer
        // stderr also carries the live markers of agent changes and tool calls ([→ Poet], [tool …]).
        const lines = recorded.stderr.trimEnd().split('\n').filter((l) => !/^\[(→|tool) /.test(l));
        if (state === 'missing') {
          expect(recorded.status).toBe(0);
          expect(lines).toEqual([expect.stringMatching(/^recorded run [0-9a-f]+/)]);
        } else {
          expect(lines).toHaveLength(1);
          expect(lines[0]).toMatch(state === 'locked' ? /^runtape: .*locked by another process/ : /^runtape: not recording \(.*\); agent runs go on unrecorded$/);
        }
        // Compared while the state holds (the lock's holder, closing, would remove its empty WAL file).
        if (state !== 'missing') expect(snapshot(db)).toEqual(before);
      } finally {
        release();
      }
    }, 300_000);
  }

  it('missing: rm and the reading commands create no file', async () => {
    const db = join(tempDir(), 'nothing', 'runs.db');
    await runCliAll([...READS, ['rm', 'last'], ['rerun', 'last', '--module', DEMO_MODULE], ['inspect']], { db });
    expect(existsSync(join(db, '..'))).toBe(false);
  });
});
