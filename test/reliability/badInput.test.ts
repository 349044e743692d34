import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { asUnprivilegedUser, expectOneLineError, runCli, runCliAll, runCliAsync } from '../support/cli.js';
import { integrityCheck } from '../support/sqlite.js';
import { storeSyntheticRun } from '../support/syntheticRun.js';
import { useSharedTempDir, useTempDir } from '../support/tempDb.js';
import { itWithTmpfs, useTmpfs } from '../support/tmpfs.js';

const tempDir = useTempDir();
const sharedDir = useSharedTempDir();
const tmpfs = useTmpfs();
const AGENT_MODULE = fileURLToPath(new URL('../fixtures/scriptedAgent.ts', import.meta.url));

/** Every command that names a run, with the run put where it goes. */
const RUN_COMMANDS: ((ref: string) => string[])[] = [
  (ref) => ['show', ref],
  (ref) => ['handoffs', ref],
  (ref) => ['replay', ref, '--speed', 'instant'],
  (ref) => ['export', ref],
  (ref) => ['rm', ref],
];

/**
 * Every command that opens the database and refuses one it cannot use. (`record` runs the agent unrecorded
 * instead, with one warning: see databaseStates.test.ts.)
 */
function everyCommand(exportFile: string): string[][] {
  return [['ls'], ...RUN_COMMANDS.map((c) => c('last')), ['import', exportFile], ['demo', '--pace', '0', '--quiet']];
}

/** A copy of an export whose run has another id (and nothing else changed). */
function withRunId(exportText: string, id: string): string {
  const [header, ...events] = exportText.split('\n');
  const parsed = JSON.parse(header!);
  parsed.run.id = id;
  return [JSON.stringify(parsed), ...events].join('\n');
}

// One recorded run and its export, shared by the tests; none of them writes to either.
let demoDb: string;
let exportFile: string;
beforeAll(() => {
  const dir = sharedDir();
  chmodSync(dir, 0o755); // readable by the unprivileged user some commands run as
  demoDb = join(dir, 'demo.db');
  expect(runCli(['demo', '--pace', '0', '--quiet', '--scenario', 'latency-regression'], { db: demoDb }).status).toBe(0);
  exportFile = join(dir, 'run.jsonl');
  expect(runCli(['export', 'last', '-o', exportFile], { db: demoDb }).status).toBe(0);
});

describe('run names', () => {
  it('refuses an ambiguous id prefix in every command, naming the candidates, and removes nothing', async () => {
    const dir = tempDir();
    const db = join(dir, 'twins.db');
    const exported = readFileSync(exportFile, 'utf8');
    for (const id of ['abcdef0000000001', 'abcdef0000000002']) {
      const file = join(dir, `${id}.jsonl`);
      writeFileSync(file, withRunId(exported, id));
      expect(runCli(['import', file], { db }).status).toBe(0);
    }
    for (const out of await runCliAll(RUN_COMMANDS.map((command) => command('abcdef')), { db })) {
      expectOneLineError(out, /run id "abcdef" is ambiguous: it matches abcdef0000000001, abcdef0000000002/);
    }
    // A longer prefix is unique again.
    expect(runCli(['show', 'abcdef0000000002'], { db }).status).toBe(0);
    // One bad name among good ones: nothing is removed.
    expectOneLineError(runCli(['rm', 'abcdef0000000001', 'abcdef'], { db }), /ambiguous/);
    expect(JSON.parse(runCli(['ls', '--json'], { db }).stdout)).toHaveLength(2);
  });

  it('says no such run, in every command', async () => {
    const [unknown, path] = await Promise.all(['0123456789', '../../etc/passwd'].map((ref) => runCliAll(RUN_COMMANDS.map((command) => command(ref)), { db: demoDb })));
    for (const out of unknown) expectOneLineError(out, /no run "0123456789"/);
    for (const out of path) expectOneLineError(out, /no run "\.\.\/\.\.\/etc\/passwd".*run ids are hex/);
  });
});

describe('databases that are not what they seem', () => {
  it('refuses a file that is not SQLite, in every command, leaving it alone', async () => {
    const db = join(tempDir(), 'notes.db');
    writeFileSync(db, 'shopping list: eggs, milk\n'.repeat(100));
    const before = readFileSync(db);
    for (const out of await runCliAll(everyCommand(exportFile), { db })) {
      expectOneLineError(out, /notes\.db is not a runtape database \(not an SQLite file\)/);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('refuses a database of a newer schema, in every command, leaving it alone', async () => {
    const db = join(tempDir(), 'future.db');
    await (await openStore(db)).close();
    const raw = new Database(db);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = readFileSync(db);
    for (const out of await runCliAll(everyCommand(exportFile), { db })) {
      expectOneLineError(out, new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this runtape supports .*upgrade runtape`));
    }
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

describe('places runtape cannot write', () => {
  it('says so when the database would go in a directory without write permission', async () => {
    const parent = tempDir();
    chmodSync(parent, 0o755);
    const locked = join(parent, 'locked');
    mkdirSync(locked, 0o555);
    const wrap = asUnprivilegedUser();
    const writes = [['demo', '--pace', '0', '--quiet'], ['import', exportFile]];
    // All at once, record too: none of them may leave anything there.
    const [inLocked, inNew, recorded] = await Promise.all([
      runCliAll(writes, { db: join(locked, 'runs.db'), wrap }),
      runCliAll(writes, { db: join(locked, 'new', 'runs.db'), wrap }),
      // record runs the agent anyway, saying once that it is not recorded, and leaves nothing there either.
      runCliAsync(['record', AGENT_MODULE, 'hi'], { db: join(locked, 'runs.db'), wrap }),
    ]);
    for (const out of inLocked) expectOneLineError(out, /cannot write database .*locked\/runs\.db: no permission to write there$/);
    for (const out of inNew) expectOneLineError(out, /cannot write database .*locked\/new\/runs\.db: no permission to write there$/);
    expect(recorded.status).toBe(0);
    expect(recorded.stderr.split('\n').filter((l) => l.startsWith('runtape:'))).toEqual([
      expect.stringMatching(/^runtape: not recording \(cannot write database .*locked\/runs\.db: no permission to write there\); agent runs go on unrecorded$/),
    ]);
    expect(readdirSync(locked)).toEqual([]);
  });

  it('says so when export -o names a directory without write permission, leaving nothing behind', () => {
    const parent = tempDir();
    chmodSync(parent, 0o755);
    const locked = join(parent, 'locked');
    mkdirSync(locked, 0o555);
    expectOneLineError(runCli(['export', 'last', '-o', join(locked, 'run.jsonl')], { db: demoDb, wrap: asUnprivilegedUser() }), /cannot write .*locked\/run\.jsonl: EACCES/);
    expect(readdirSync(locked)).toEqual([]);
  });

  itWithTmpfs('says so when the disk fills up during an import, and loses nothing', async () => {
    // A run of 3 MB, for a disk that has 1 MB; random text, which compression cannot shrink to fit.
    const big = join(tempDir(), 'big.db');
    const store = await openStore(big);
    const filler = () => randomBytes(7_500).toString('base64');
    const bigRun = await storeSyntheticRun(
      store,
      Array.from({ length: 300 }, (_, i) => ({ tUs: i * 1000, level: 'raw' as const, name: 'output_text_delta', agent: 'A', payload: { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: `${i} ${filler()}` } } })),
    );
    await store.close();
    const bigFile = join(tempDir(), 'big.jsonl');
    expect(runCli(['export', bigRun, '-o', bigFile], { db: big }).status).toBe(0);

    const db = join(tmpfs(1024 * 1024), 'runs.db');
    expect(runCli(['import', exportFile], { db }).status).toBe(0);
    const before = runCli(['export', 'last'], { db }).stdout;
    expectOneLineError(runCli(['import', bigFile], { db }), /disk full while writing .*runs\.db \(that write was rolled back\)/);
    // The run that was there is whole, and the failed import left nothing.
    expect(integrityCheck(db)).toBe('ok');
    expect(JSON.parse(runCli(['ls', '--json'], { db }).stdout).map((r: { id: string }) => r.id)).toEqual([JSON.parse(before.split('\n')[0]!).run.id]);
    expect(runCli(['export', 'last'], { db }).stdout).toBe(before);
  });
});
