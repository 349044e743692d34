/**
 * Export files are checked against a versioned schema, line by line, before anything is stored; and rows
 * already stored that do not hold what runtape writes (say, tags that are no list) are read tolerantly:
 * marked, never failing `ls`, `show` or the inspector's run list for the whole database.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/openStore.js';
import { RunsList, runsTable } from '../../src/tui/views/runsList.js';
import { plainOf } from '../../src/tui/views/styled.js';
import { expectOneLineError, runCli } from '../support/cli.js';
import { useDemoExport } from '../support/demoExport.js';
import { useSharedTempDir, useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();
const sharedDir = useSharedTempDir();

const { edited, original } = useDemoExport(sharedDir);

describe('import checks every line against the schema', () => {
  const cases: [string, (index: number) => string, RegExp][] = [
    ['tags that are a string', () => edited(0, (h) => (h.run.tags = 'x')), /:1: header run\.tags: expected array, received string \(found "x"\)/],
    ['tags that are an object', () => edited(0, (h) => (h.run.tags = {})), /:1: header run\.tags: expected array, received object \(found \{\}\)/],
    ['a tag that is a number', () => edited(0, (h) => (h.run.tags = ['a', 7])), /:1: header run\.tags\.1: expected string, received number \(found 7\)/],
    ['metadata that is a list', () => edited(0, (h) => (h.run.metadata = [1])), /:1: header run\.metadata: /],
    ['an event count that is text', () => edited(0, (h) => (h.run.eventCount = '175')), /:1: header run\.eventCount: expected number/],
    ['tools that are not a list', () => edited(0, (h) => (h.agents[0].tools = 'search')), /:1: header agents\.0\.tools: expected array/],
    ['an error without a message', () => edited(0, (h) => (h.run.error = { name: 'E' })), /:1: header run\.error\.message: expected string/],
    ['a negative offset', () => edited(5, (e) => (e.t_us = -1)), /:6: event t_us: /],
    ['an agent that is a number', () => edited(5, (e) => (e.agent = 3)), /:6: event agent: expected string/],
    ['a payload that is a list', () => edited(5, (e) => (e.event = [])), /:6: event event: expected a JSON object/],
  ];
  for (const [what, contents, message] of cases) {
    it(`refuses ${what}, naming the line and field, importing nothing`, () => {
      const dir = tempDir();
      const file = join(dir, 'run.jsonl');
      writeFileSync(file, contents(0));
      const db = join(dir, 'runs.db');
      expectOneLineError(runCli(['import', file], { db }), message);
      expect(JSON.parse(runCli(['ls', '--json'], { db }).stdout)).toEqual([]);
    });
  }

  it('still takes what runtape writes, byte for byte', () => {
    const dir = tempDir();
    const file = join(dir, 'run.jsonl');
    writeFileSync(file, original());
    const db = join(dir, 'runs.db');
    expect(runCli(['import', file], { db }).status).toBe(0);
    expect(runCli(['export', 'last'], { db }).stdout).toBe(readFileSync(file, 'utf8'));
  });
});

describe('bad rows already stored', () => {
  /** A database of three runs whose rows were damaged the ways an unchecked import or another tool could. */
  function damagedDatabase(): { db: string; ids: string[] } {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    const file = join(dir, 'run.jsonl');
    const ids = ['aaaa000000000001', 'aaaa000000000002', 'aaaa000000000003'];
    for (const id of ids) {
      writeFileSync(file, edited(0, (h) => (h.run.id = id)));
      expect(runCli(['import', file], { db }).status).toBe(0);
    }
    const raw = new Database(db);
    raw.prepare(`UPDATE runs SET tags = '"x"', metadata = 'not json' WHERE id = ?`).run(ids[0]);
    raw.prepare(`UPDATE runs SET tags = '{}', input = '{broken' WHERE id = ?`).run(ids[1]);
    // The second run's agents described anew, with tools and handoffs that are not lists: the runs share the
    // sound descriptions, which stay the other runs'.
    const pk = raw.prepare(`SELECT pk FROM runs WHERE id = ?`).pluck().get(ids[1]);
    for (const { position, agent } of raw.prepare(`SELECT position, agent FROM run_agents WHERE run_pk = ?`).all(pk) as { position: number; agent: number }[]) {
      const damaged = raw
        .prepare(
          `INSERT INTO agent_descriptions (hash, name, instructions, model, handoff_description, tools, handoffs)
           SELECT randomblob(32), name, instructions, model, handoff_description, '"search"', '{}' FROM agent_descriptions WHERE pk = ? RETURNING pk`,
        )
        .pluck()
        .get(agent);
      raw.prepare(`UPDATE run_agents SET agent = ? WHERE run_pk = ? AND position = ?`).run(damaged, pk, position);
    }
    raw.close();
    return { db, ids };
  }

  it('ls lists every run, the bad ones marked, in text, JSON and with filters', () => {
    const { db, ids } = damagedDatabase();
    const text = runCli(['ls'], { db });
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/aaaa0000 .*completed \(unreadable: tags, metadata\)/);
    expect(text.stdout).toMatch(/aaaa0000 .*completed \(unreadable: input, tags\)/);
    const runs = JSON.parse(runCli(['ls', '--json'], { db }).stdout) as { id: string; tags: unknown; unreadable?: string[] }[];
    expect(runs.map((r) => r.id).sort()).toEqual(ids);
    expect(runs.find((r) => r.id === ids[0])).toMatchObject({ tags: [], metadata: {}, unreadable: ['tags', 'metadata'] });
    expect(runs.find((r) => r.id === ids[2])!.unreadable).toBeUndefined();
    const tagged = runCli(['ls', '--tag', 'x', '--json'], { db });
    expect(tagged.stderr).toBe('');
    expect(JSON.parse(tagged.stdout)).toEqual([]);
  });

  it('show and export read a bad run, marking it', () => {
    const { db, ids } = damagedDatabase();
    for (const id of ids.slice(0, 2)) {
      const shown = runCli(['show', id], { db });
      expect(shown.stderr).toBe('');
      expect(shown.stdout).toMatch(/^Run aaaa\d+ .*completed \(unreadable: /);
      expect(runCli(['export', id], { db }).status).toBe(0);
    }
    expect(runCli(['show', ids[1]!], { db }).stdout).toMatch(/Triage Agent.*\(unreadable: tools, handoffs\)/);
  });

  it("the inspector's run list loads, filters and draws every run", async () => {
    const { db, ids } = damagedDatabase();
    const store = await openStore(db, { readonly: true });
    const list = new RunsList(() => store.listRuns());
    await list.reload();
    expect(list.visible.map((r) => r.id).sort()).toEqual(ids);
    list.setFilter('aaaa');
    expect(list.visible).toHaveLength(3);
    const table = runsTable(list.visible, ids[0], 200);
    expect(table.rows.map(plainOf).join('\n')).toContain('(unreadable: tags, metadata)');
    await store.close();
  });
});
