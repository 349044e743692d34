/**
 * Upgrading: a database and an export written by the released runtape 0.1.0 (one row per event, schema 1)
 * still open, migrate and import with nothing lost. The fixtures were made by runtape 0.1.0 itself. So does a
 * database of schema 6 (agent graphs stored per run), whose commands print what they printed before.
 */
import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { exportRunLines, importRunLines } from '../src/store/exchange.js';
import type { RunStore } from '../src/store/runStore.js';
import type { StoredEvent } from '../src/store/types.js';
import { AgentGraphTable } from '../src/store/sqlite/agentGraphTable.js';
import { archiveDictionary, decodeArchive, type CaptureArchive } from '../src/store/sqlite/captureArchive.js';
import type { AgentRow, RunRow } from '../src/store/sqlite/rows.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../src/store/sqlite/schema.js';
import { SqliteRunStore } from '../src/store/sqlite/sqliteRunStore.js';
import { asUnprivilegedUser, expectOneLineError, runCli, type CliResult } from './support/cli.js';
import { useSharedTempDir, useTempDir } from './support/tempDb.js';

const FIXTURE_DB = new URL('./fixtures/release-0.1.0.db', import.meta.url).pathname;
const FIXTURE_EXPORT = new URL('./fixtures/release-0.1.0-export.jsonl', import.meta.url).pathname;
const SCRIPTED_AGENT = new URL('./fixtures/scriptedAgent.ts', import.meta.url).pathname;

const tempDir = useTempDir();

/** The columns of a 0.1.0 run row that this test compares (0.1.0 had these, under the same names). */
type RawRun = Pick<
  RunRow,
  'pk' | 'id' | 'name' | 'status' | 'started_at' | 'duration_us' | 'starting_agent' | 'last_agent' | 'input' | 'final_output' | 'usage' | 'sdk_version' | 'tags' | 'metadata' | 'event_count'
>;

/** What runtape 0.1.0 stored, read straight from its tables, before anything migrates them. */
function rawContents(path: string): { version: number; runs: RawRun[]; events: Map<string, StoredEvent[]>; agents: Map<string, unknown[]> } {
  const db = new Database(path, { readonly: true });
  try {
    const runs = db.prepare(`SELECT * FROM runs ORDER BY pk`).all() as RawRun[];
    const events = new Map<string, StoredEvent[]>();
    const agents = new Map<string, unknown[]>();
    for (const run of runs) {
      events.set(
        run.id,
        db.prepare(`SELECT seq, t_us AS tUs, level, name, agent, payload FROM events WHERE run_pk = ? ORDER BY seq`).all(run.pk) as StoredEvent[],
      );
      agents.set(run.id, db.prepare(`SELECT name, instructions, model, handoff_description, tools, handoffs FROM agents WHERE run_pk = ? ORDER BY rowid`).all(run.pk));
    }
    return { version: db.pragma('user_version', { simple: true }) as number, runs, events, agents };
  } finally {
    db.close();
  }
}

async function allEvents(store: RunStore, runId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.iterateEvents(runId, { windowSize: 50 })) events.push(event);
  return events;
}

describe('a database written by runtape 0.1.0', () => {
  it('migrates with every run, agent and event kept, payloads byte for byte', async () => {
    const path = join(tempDir(), 'release-0.1.0.db');
    copyFileSync(FIXTURE_DB, path);
    const before = rawContents(path);
    expect(before.version).toBe(1);
    expect(before.runs).toHaveLength(3);
    expect([...before.events.values()].reduce((n, events) => n + events.length, 0)).toBe(608);

    const store = await openStore(path);
    try {
      const runs = await store.listRuns();
      expect(runs.map((r) => r.id).sort()).toEqual(before.runs.map((r) => r.id).sort());
      for (const raw of before.runs) {
        const run = (await store.getRun(raw.id))!;
        expect(run).toMatchObject({
          name: raw.name,
          status: raw.status,
          startedAt: raw.started_at,
          durationUs: raw.duration_us,
          startingAgent: raw.starting_agent,
          lastAgent: raw.last_agent,
          input: JSON.parse(raw.input!),
          finalOutput: JSON.parse(raw.final_output!),
          usage: JSON.parse(raw.usage!),
          sdkVersion: raw.sdk_version,
          tags: JSON.parse(raw.tags),
          metadata: JSON.parse(raw.metadata),
          eventCount: raw.event_count,
          gaps: [],
        });
        const agents = await store.agents(raw.id);
        expect(agents.map((a) => [a.name, a.instructions, a.model, a.handoffDescription, JSON.stringify(a.tools), JSON.stringify(a.handoffs)])).toEqual(
          before.agents.get(raw.id)!.map((a) => Object.values(a as Record<string, unknown>)),
        );

        const expected = before.events.get(raw.id)!;
        expect(expected.length).toBe(raw.event_count);
        // Every field of every event, in order, through both reads.
        expect(await allEvents(store, raw.id)).toEqual(expected);
        expect(await store.readEvents(raw.id, { fromSeq: expected.length - 1, limit: expected.length, backward: true })).toEqual([...expected].reverse());
        expect(await store.lastSeq(raw.id)).toBe(expected.at(-1)!.seq);
        // Filters and seeks answer as they did over the per-event rows.
        const items = await store.readEvents(raw.id, { fromSeq: 10, limit: 20, filter: { levels: ['item'] } });
        expect(items).toEqual(expected.filter((e) => e.seq >= 10 && e.level === 'item').slice(0, 20));
        const middle = expected[Math.floor(expected.length / 2)]!;
        expect(await store.seqAtTime(raw.id, middle.tUs)).toBe(expected.find((e) => e.tUs >= middle.tUs)!.seq);
        expect(await store.seqAtTime(raw.id, expected.at(-1)!.tUs + 1)).toBeUndefined();
      }
    } finally {
      await store.close();
    }

    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(after.prepare(`SELECT name FROM sqlite_schema WHERE name = 'events'`).all()).toEqual([]);
    expect(after.prepare(`SELECT sum(count) AS n FROM event_blocks`).get()).toEqual({ n: 608 });
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();

    // The CLI reads the migrated database.
    const listed = runCli(['ls', '--json'], { db: path });
    expect(listed.status).toBe(0);
    const fromCli = JSON.parse(listed.stdout) as { id: string; eventCount: number }[];
    expect(fromCli.map((r) => [r.id, r.eventCount]).sort()).toEqual(before.runs.map((r) => [r.id, r.event_count]).sort());
    for (const raw of before.runs) {
      const shown = runCli(['show', raw.id], { db: path });
      expect(shown.status).toBe(0);
      expect(shown.stderr).toBe('');
      expect(shown.stdout).toContain(raw.id);
      expect(shown.stdout).toContain(raw.name!);
      expectNoCallsRecorded(path, raw.id);
    }
  });

  it('is upgraded by the first command that reads it, or refused in one line when it cannot be written', () => {
    const path = join(tempDir(), 'release-0.1.0.db');
    copyFileSync(FIXTURE_DB, path);
    const before = rawContents(path);
    const listed = runCli(['ls', '--json'], { db: path });
    expect(listed.stderr).toBe('');
    expect(listed.status).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((r) => r.id).sort()).toEqual(before.runs.map((r) => r.id).sort());
    const shown = runCli(['show', before.runs[0]!.id], { db: path });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain(before.runs[0]!.name!);

    const parent = tempDir();
    chmodSync(parent, 0o755);
    const dir = join(parent, 'ro');
    mkdirSync(dir);
    const readonlyDb = join(dir, 'release-0.1.0.db');
    copyFileSync(FIXTURE_DB, readonlyDb);
    chmodSync(readonlyDb, 0o444);
    chmodSync(dir, 0o555);
    expectOneLineError(
      runCli(['ls'], { db: readonlyDb, wrap: asUnprivilegedUser() }),
      /schema version 1 and needs an upgrade, which needs write access: .*read-only/,
    );
    chmodSync(dir, 0o755);
    expect(rawContents(readonlyDb)).toEqual(before);
  });

  it('leaves the database as it was when the migration fails midway', async () => {
    const path = join(tempDir(), 'damaged.db');
    copyFileSync(FIXTURE_DB, path);
    const raw = new Database(path);
    // A time offset no block can hold (not a whole number): the move into blocks must refuse, not round it.
    raw.prepare(`UPDATE events SET t_us = 1.5 WHERE run_pk = 2 AND seq = 7`).run();
    raw.close();
    const before = rawContents(path);
    await expect(openStore(path)).rejects.toThrow(/event 7 .*time offset 1\.5 is not a whole number/);
    const after = rawContents(path);
    expect(after.version).toBe(1);
    expect(after.events).toEqual(before.events);
  });
});

/** A run recorded before model calls were captured says so, in the table and as JSON. */
function expectNoCallsRecorded(db: string, runId: string): void {
  const calls = runCli(['calls', runId], { db });
  expect(calls.stderr).toBe('');
  expect(calls.status).toBe(0);
  expect(calls.stdout.trim()).toMatch(/^no model calls recorded for this run \(/);
  expect(runCli(['calls', runId, '--json'], { db }).stdout.trim()).toBe('[]');
}

describe('a database of the schema before captures', () => {
  it('migrates: its runs keep everything and say no model calls were recorded', async () => {
    const path = join(tempDir(), 'before-captures.db');
    copyFileSync(FIXTURE_DB, path);
    // The 0.1.0 database brought up to the last schema without captures, as the release before this one left it.
    const before = MIGRATIONS.findIndex((m) => m.sql.includes('CREATE TABLE captures'));
    const raw = new Database(path);
    raw.transaction(() => {
      for (const migration of MIGRATIONS.slice(1, before)) {
        raw.exec(migration.sql);
        migration.then?.(raw);
      }
      raw.pragma(`application_id = ${APPLICATION_ID}`);
      raw.pragma(`user_version = ${before}`);
    })();
    raw.close();

    const store = await openStore(path);
    const runs = await store.listRuns();
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run.captured).toBe(false);
      expect(await store.captures(run.id, 'modelCall')).toEqual([]);
      expect((await allEvents(store, run.id)).length).toBe(run.eventCount);
    }
    await store.close();
    expectNoCallsRecorded(path, runs[0]!.id);
  });
});

describe('an export written by runtape 0.1.0', () => {
  it('imports, and exports again as the same lines', () => {
    const db = join(tempDir(), 'imported.db');
    const imported = runCli(['import', FIXTURE_EXPORT], { db });
    expect(imported.stdout).toMatch(/^imported run [0-9a-f]{16} .*\(271 events\)/);
    expect(imported.status).toBe(0);
    const lines = readFileSync(FIXTURE_EXPORT, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as { run: { id: string } };
    const exported = runCli(['export', header.run.id], { db });
    expect(exported.status).toBe(0);
    const again = exported.stdout.trimEnd().split('\n');
    // The header has grown fields since 0.1.0; every event line is what 0.1.0 wrote.
    expect(again.slice(1)).toEqual(lines.slice(1));
    expect(JSON.parse(again[0]!)).toMatchObject({ run: { id: header.run.id, captured: false } });
    expectNoCallsRecorded(db, header.run.id);
  });
});

/**
 * A database the runtape before shared agent descriptions wrote (schema 6, one `agents` row per run and agent), and
 * what its commands printed. Made with that runtape's built CLI: `demo --pace 0` (three runs, one graph), `record
 * test/fixtures/scriptedAgent.ts` and its `rerun` (a second graph, twice), `record test/fixtures/ordersAgent.ts`
 * twice without an API key, once with ORDERS_INSTRUCTIONS set (two error runs, their Orders agents differ), and an
 * `import` of release-0.1.0-export.jsonl (a Technical Support Agent with other instructions); then, on a copy, each
 * run's `show`, `show --json` and `export`, and four `diff`s, with TZ=UTC.
 */
const SCHEMA_6_DB = new URL('./fixtures/schema-6.db', import.meta.url).pathname;
const SCHEMA_6_OUTPUTS = new URL('./fixtures/schema-6-outputs.json.gz', import.meta.url).pathname;

interface Schema6Outputs {
  runs: Record<string, { show: CliResult; showJson: CliResult; export: CliResult }>;
  /** By the two run ids, space-separated. */
  diffs: Record<string, CliResult>;
}

/** Each run's graph as stored, and its capture archive decoded against that graph, read straight from the file. */
function storedGraphs(path: string): Map<string, { agents: AgentRow[]; archive: CaptureArchive | null }> {
  const db = new Database(path, { readonly: true });
  try {
    const graphs = db.pragma('user_version', { simple: true }) === 6 ? null : new AgentGraphTable(db);
    const result = new Map<string, { agents: AgentRow[]; archive: CaptureArchive | null }>();
    for (const { pk, id } of db.prepare(`SELECT pk, id FROM runs ORDER BY pk`).all() as { pk: number; id: string }[]) {
      const agents = graphs
        ? graphs.read(pk)
        : (db.prepare(`SELECT name, instructions, model, handoff_description, tools, handoffs FROM agents WHERE run_pk = ? ORDER BY rowid`).all(pk) as AgentRow[]);
      const stored = db.prepare(`SELECT codec, data FROM capture_archives WHERE run_pk = ?`).get(pk) as { codec: number; data: Buffer } | undefined;
      result.set(id, { agents, archive: stored ? decodeArchive(stored.codec, stored.data, archiveDictionary(agents)) : null });
    }
    return result;
  } finally {
    db.close();
  }
}

describe('a database of schema 6 (each run with its own copy of its agent graph)', () => {
  const dir = useSharedTempDir();
  const path = () => join(dir(), 'schema-6.db');
  const outputs = JSON.parse(gunzipSync(readFileSync(SCHEMA_6_OUTPUTS)).toString('utf8')) as Schema6Outputs;
  const utc = { env: { TZ: 'UTC' } };
  let before: ReturnType<typeof storedGraphs>;

  beforeAll(() => {
    copyFileSync(SCHEMA_6_DB, path());
    before = storedGraphs(path());
    // The first command migrates it.
    expect(runCli(['ls'], { db: path() }).status).toBe(0);
  });

  it('migrates: every graph kept column for column, each distinct agent description stored once, the old table gone', () => {
    expect([...before.keys()]).toHaveLength(8);
    expect(Object.keys(outputs.runs)).toEqual([...before.keys()]);
    expect(Object.keys(outputs.diffs)).toHaveLength(4);
    const after = storedGraphs(path());
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [id, { agents }] of before) expect(after.get(id)!.agents).toEqual(agents);
    const db = new Database(path(), { readonly: true });
    const distinct = new Set([...before.values()].flatMap((g) => g.agents.map((a) => JSON.stringify(a))));
    expect(distinct.size).toBe(9);
    expect(db.prepare(`SELECT count(*) FROM agent_descriptions`).pluck().get()).toBe(distinct.size);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'agents'`).all()).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('its capture archives read as they did, against the same dictionary', () => {
    const after = storedGraphs(path());
    expect([...before.values()].filter((g) => g.archive !== null)).toHaveLength(5);
    for (const [id, { archive }] of before) expect(after.get(id)!.archive).toEqual(archive);
  });

  for (const [id, printed] of Object.entries(outputs.runs)) {
    it(`run ${id.slice(0, 8)}: show, show --json and export print what the runtape that wrote it printed`, () => {
      expect(runCli(['show', id], { db: path(), ...utc })).toEqual(printed.show);
      expect(runCli(['show', '--json', id], { db: path(), ...utc })).toEqual(printed.showJson);
      expect(runCli(['export', id], { db: path(), ...utc })).toEqual(printed.export);
    });
  }

  for (const [pair, printed] of Object.entries(outputs.diffs)) {
    it(`diff ${pair.split(' ').map((id) => id.slice(0, 8)).join(' ')} prints what it printed`, () => {
      expect(runCli(['diff', ...pair.split(' ')], { db: path(), ...utc })).toEqual(printed);
    });
  }

  it('each run exported imports into a new database and exports again as the same lines', async () => {
    const store = SqliteRunStore.open(join(dir(), 'imported.db'));
    try {
      for (const [id, printed] of Object.entries(outputs.runs)) {
        const lines = printed.export.stdout.trimEnd().split('\n');
        await importRunLines(store, linesOf(lines), `${id}.jsonl`);
        const again: string[] = [];
        const archivesRead = store.engine.archivesRead;
        for await (const line of exportRunLines(store, id)) again.push(line);
        expect(again).toEqual(lines);
        // Every kind of capture the export holds came from one decoding of the run's archive.
        const captured = lines.some((line) => line.startsWith('{"capture"'));
        expect(store.engine.archivesRead - archivesRead).toBe(captured ? 1 : 0);
      }
    } finally {
      await store.close();
    }
  });

  it('re-runs a run it recorded, every call answered from the recording, the new run sharing its descriptions', () => {
    const rerun = runCli(['rerun', '6ec1175b', '--module', SCRIPTED_AGENT], { db: path() });
    expect(rerun.stderr).toBe('');
    expect(rerun.stdout).toMatch(/^re-ran run 6ec1175b as run [0-9a-f]{8} \(strict\): no differences/);
    expect(rerun.status).toBe(0);
    const db = new Database(path(), { readonly: true });
    expect(db.prepare(`SELECT count(*) FROM agent_descriptions`).pluck().get()).toBe(9);
    expect(db.prepare(`SELECT count(*) FROM run_agents`).pluck().get()).toBe(22);
    db.close();
  });
});

async function* linesOf(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}
