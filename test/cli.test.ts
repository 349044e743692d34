import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { SCHEMA_VERSION } from '../src/store/sqlite/schema.js';
import { asUnprivilegedUser, expectOneLineError, runCli, runCliAll } from './support/cli.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();

// One demo database shared by the read-only tests below; tests that write make their own copy.
let demoDb: string;
beforeAll(() => {
  demoDb = join(mkdtempSync(join(tmpdir(), 'runtape-cli-')), 'demo.db');
  const result = runCli(['demo', '--quiet'], { db: demoDb });
  expect(result.stderr).toContain('recorded run');
  expect(result.status).toBe(0);
});

function copyOfDemoDb(): string {
  const path = join(tempDir(), 'copy.db');
  copyFileSync(demoDb, path);
  return path;
}

describe('runtape ls / show / handoffs', () => {
  it('lists the recorded demo runs, as a table and as JSON', () => {
    const table = runCli(['ls'], { db: demoDb });
    expect(table.status).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+AGENTS\s+EVENTS$/);
    expect(lines).toHaveLength(4);
    expect(table.stdout).toContain('demo: duplicate-charge-and-outage');

    const runs = JSON.parse(runCli(['ls', '--json'], { db: demoDb }).stdout) as { id: string; status: string; eventCount: number }[];
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.status === 'completed' && r.eventCount > 100)).toBe(true);
    for (const run of runs) expect(table.stdout).toContain(run.id.slice(0, 8));
  });

  it('filters runs by agent, name, status and since', async () => {
    const filters = [['--name', 'latency'], ['--agent', 'Billing Agent'], ['--status', 'error'], ['--since', '1h'], ['--since', '2000-01-01', '--limit', '1']];
    const outs = await runCliAll([...filters.map((args) => ['ls', '--json', ...args]), ['ls', '--status', 'done'], ['ls', '--since', 'yesterday-ish']], { db: demoDb });
    const [byName, byAgent, byStatus, since, limited] = outs.slice(0, filters.length).map((out) => (JSON.parse(out.stdout) as { name: string }[]).map((r) => r.name));
    expect(byName).toEqual(['demo: latency-regression']);
    expect(byAgent).toHaveLength(3); // the graph at start: every demo run has every agent
    expect(byStatus).toEqual([]);
    expect(since).toHaveLength(3);
    expect(limited).toHaveLength(1);
    expectOneLineError(outs[filters.length], /unknown status "done"/);
    expectOneLineError(outs[filters.length + 1], /--since/);
  });

  it('records the demo runs one after another, on a realistic simulated timeline', () => {
    const runs = JSON.parse(runCli(['ls', '--json'], { db: demoDb }).stdout) as { name: string; startedAt: number; durationUs: number }[];
    const inOrder = runs.reverse();
    expect(inOrder.map((r) => r.name)).toEqual(['demo: duplicate-charge-and-outage', 'demo: annual-plan-quote', 'demo: latency-regression']);
    // Several seconds each (model turns, streamed text, tool calls), each run starting when the one before ended.
    for (const run of inOrder) expect(run.durationUs).toBeGreaterThan(3_000_000);
    for (let i = 1; i < inOrder.length; i++) {
      expect(inOrder[i]!.startedAt).toBeGreaterThanOrEqual(inOrder[i - 1]!.startedAt + inOrder[i - 1]!.durationUs / 1000 - 1);
    }
  });

  it('shows the main demo run: summary, agents, the handoff chain with reasons, timing', async () => {
    const runs = JSON.parse(runCli(['ls', '--json', '--name', 'duplicate'], { db: demoDb }).stdout) as { id: string }[];
    const id = runs[0]!.id;
    const [shown, shownJson, handoffsJson, handoffsText] = await runCliAll([['show', id.slice(0, 6)], ['show', id, '--json'], ['handoffs', id, '--json'], ['handoffs', id]], { db: demoDb });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('Handoffs  Triage Agent → Billing Agent → Triage Agent → Technical Support Agent');
    expect(shown.stdout).toMatch(/Triage Agent → Billing Agent via transfer_to_Billing_Agent/);
    expect(shown.stdout).toMatch(/why: .+/);
    expect(shown.stdout).toMatch(/time to first token\s+\d+/);
    expect(shown.stdout).toContain('tools: find_duplicate_charges, issue_refund, quote_plan');

    const report = JSON.parse(shownJson.stdout);
    expect(report.analysis.agentPath).toEqual(['Triage Agent', 'Billing Agent', 'Triage Agent', 'Technical Support Agent']);
    expect(report.analysis.handoffs).toHaveLength(3);
    expect(report.analysis.handoffs[1]).toMatchObject({ from: 'Billing Agent', to: 'Triage Agent', toolName: 'transfer_to_Triage_Agent' });
    expect(report.analysis.handoffs[1].arguments).toMatch(/"reason"/);
    expect(report.analysis.countsByLevel.agent).toBe(4);
    expect(report.run.eventCount).toBe(report.analysis.eventCount);

    const handoffs = JSON.parse(handoffsJson.stdout);
    expect(handoffs.handoffs.map(({ call: _call, inputFilter: _filter, ...step }: Record<string, unknown>) => step)).toEqual(report.analysis.handoffs);
    // The demo hands over to technical support through a filter; each handoff names the model call that asked for it.
    expect(handoffs.handoffs.map((h: { inputFilter: { name: string } | null }) => h.inputFilter?.name ?? null)).toEqual([null, null, 'dropOtherAgentsWork']);
    const calls = handoffs.handoffs.map((h: { call: number }) => h.call);
    expect(calls.every((c: unknown) => typeof c === 'number')).toBe(true);
    expect([...calls].sort((a, b) => a - b)).toEqual(calls);
    expect(handoffsText.stdout).toMatch(/filter dropOtherAgentsWork removed \d+ of \d+ items: reasoning "[^"]+", call find_duplicate_charges, output of find_duplicate_charges/);
  });

  it('names runs by unique prefix or "last", and says so when a name matches none or several', async () => {
    const [last, unknown, notAnId] = await runCliAll([['show', 'last'], ['show', 'ffffffffffff'], ['show', 'not-an-id']], { db: demoDb });
    expect(last.status).toBe(0);
    expectOneLineError(unknown, /no run "ffffffffffff"/);
    expectOneLineError(notAnId, /no run "not-an-id"/);
    expectOneLineError(runCli(['rm', 'ffffffffffff'], { db: copyOfDemoDb() }), /no run/);
  });

  it('says plainly that an empty place has no runs', () => {
    const db = join(tempDir(), 'none.db');
    const listed = runCli(['ls'], { db });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/no runs yet/);
    expectOneLineError(runCli(['show', 'last'], { db }), /no database at/);
  });
});

describe('runtape export / import / rm', () => {
  it('round-trips a run exactly through export and import', () => {
    const dir = tempDir();
    const file = join(dir, 'run.jsonl');
    const exported = runCli(['export', 'last', '-o', file], { db: demoDb });
    expect(exported.status).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ format: 'runtape-run', version: 2, run: { captured: true } });
    // The events, then what each agent saw: the demo run's model calls, its filtered handoff, its tool calls.
    const rest = lines.slice(1).map((line) => JSON.parse(line) as { seq?: number; capture?: string });
    expect(rest.filter((line) => line.seq !== undefined)).toHaveLength(header.run.eventCount);
    expect(new Set(rest.slice(header.run.eventCount).map((line) => line.capture))).toEqual(new Set(['modelCall', 'handoff', 'toolCall']));
    expect(rest.length).toBeGreaterThan(header.run.eventCount);

    const other = join(dir, 'other.db');
    const imported = runCli(['import', file], { db: other });
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain(`imported run ${header.run.id}`);
    // Exporting the imported copy gives back the very same bytes.
    expect(runCli(['export', header.run.id], { db: other }).stdout).toBe(readFileSync(file, 'utf8'));
    // And importing it twice is refused, leaving the first copy alone.
    expectOneLineError(runCli(['import', file], { db: other }), /already in/);
  });

  it('imports all or nothing, and names the line of a malformed record', () => {
    const dir = tempDir();
    const file = join(dir, 'run.jsonl');
    runCli(['export', 'last', '-o', file], { db: demoDb });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const db = join(dir, 'target.db');
    runCli(['ls'], { db });

    const broken = [...lines];
    broken[40] = broken[40]!.slice(0, 30);
    writeFileSync(join(dir, 'broken.jsonl'), broken.join('\n') + '\n');
    expectOneLineError(runCli(['import', join(dir, 'broken.jsonl')], { db }), /broken\.jsonl:41: not valid JSON.*nothing was imported/);

    writeFileSync(join(dir, 'truncated.jsonl'), lines.slice(0, 100).join('\n') + '\n');
    expectOneLineError(runCli(['import', join(dir, 'truncated.jsonl')], { db }), /announces \d+ events but the file holds 99/);

    const gap = lines.filter((_, i) => i !== 10);
    writeFileSync(join(dir, 'gap.jsonl'), gap.join('\n') + '\n');
    expectOneLineError(runCli(['import', join(dir, 'gap.jsonl')], { db }), /gap\.jsonl:11: expected event seq 9, found 10/);

    writeFileSync(join(dir, 'other.jsonl'), '{"hello":"world"}\n');
    expectOneLineError(runCli(['import', join(dir, 'other.jsonl')], { db }), /other\.jsonl:1: not a runtape export/);

    const newer = [JSON.stringify({ ...JSON.parse(lines[0]!), version: 99 }), ...lines.slice(1)];
    writeFileSync(join(dir, 'newer.jsonl'), newer.join('\n') + '\n');
    expectOneLineError(runCli(['import', join(dir, 'newer.jsonl')], { db }), /version 99 is newer/);

    expectOneLineError(runCli(['import', join(dir, 'missing.jsonl')], { db }), /no such file/);
    // Nothing of any failed import landed.
    expect(JSON.parse(runCli(['ls', '--json'], { db }).stdout)).toEqual([]);
  });

  it('removes runs with their events', async () => {
    const db = copyOfDemoDb();
    const runs = JSON.parse(runCli(['ls', '--json'], { db }).stdout) as { id: string }[];
    const removed = runCli(['rm', runs[0]!.id.slice(0, 8)], { db });
    expect(removed.status).toBe(0);
    expect(removed.stdout).toMatch(/^removed run [0-9a-f]{16} "demo: /);
    const store = await openStore(db);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(runs.slice(1).map((r) => r.id));
    await expect(store.readEvents(runs[0]!.id, { fromSeq: 0, limit: 1 })).rejects.toThrow(/no run/);
    await store.close();
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare('SELECT count(*) AS n FROM event_blocks WHERE run_pk NOT IN (SELECT pk FROM runs)').get()).toEqual({ n: 0 });
    raw.close();
  });
});

describe('bad databases', () => {
  it('refuses a database from a newer runtape, leaving it untouched', () => {
    const db = copyOfDemoDb();
    const raw = new Database(db);
    raw.pragma('user_version = 99');
    raw.close();
    const before = readFileSync(db);
    expectOneLineError(runCli(['ls'], { db }), new RegExp(`schema version 99, newer than this runtape supports \\(${SCHEMA_VERSION}\\); upgrade runtape`));
    expectOneLineError(runCli(['demo', '--pace', '0', '--quiet'], { db }), /schema version 99/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('refuses files that are not runtape databases', () => {
    const dir = tempDir();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'just some text, not a database at all\n'.repeat(50));
    expectOneLineError(runCli(['ls'], { db: text }), /is not a runtape database \(not an SQLite file\)/);
    expect(readFileSync(text, 'utf8')).toMatch(/^just some text/);

    const foreign = join(dir, 'foreign.db');
    const raw = new Database(foreign);
    raw.exec('CREATE TABLE todo (id INTEGER PRIMARY KEY, what TEXT)');
    raw.close();
    expectOneLineError(runCli(['ls'], { db: foreign }), /an SQLite database, but not a runtape one/);

    const folder = join(dir, 'folder.db');
    mkdirSync(folder);
    expectOneLineError(runCli(['ls'], { db: folder }), /folder\.db is a directory, not a database file/);
  });

  it('reports a corrupt database', () => {
    const db = copyOfDemoDb();
    const bytes = readFileSync(db);
    // Keep the header, scribble over the pages holding the schema and the tables.
    bytes.fill(0x5a, 100, Math.min(bytes.length, 64 * 1024));
    writeFileSync(db, bytes);
    expectOneLineError(runCli(['ls'], { db }), /corrupt|not a runtape database/);
  });

  it('reads a read-only database, and says so when asked to write to it', () => {
    const parent = tempDir();
    chmodSync(parent, 0o755);
    const dir = join(parent, 'ro');
    mkdirSync(dir);
    const db = join(dir, 'runs.db');
    copyFileSync(demoDb, db);
    chmodSync(db, 0o444);
    chmodSync(dir, 0o555);
    const asUser = (args: string[]) => runCli(args, { db, wrap: asUnprivilegedUser() });
    const listed = asUser(['ls', '--json']);
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout)).toHaveLength(3);
    expectOneLineError(asUser(['rm', 'last']), /read-only/);
    expectOneLineError(asUser(['demo', '--pace', '0', '--quiet']), /read-only|cannot open|permission/);
    chmodSync(dir, 0o755);
  });
});
