/**
 * Child runs (agents used as tools) as a user meets them in the built CLI: `ls` lists each below the run that
 * started it, `show` lists them under their tool calls and says whose child a run is, and export/import keep
 * the link. The runs are recorded with the real SDK runner on scripted models into a real SQLite file.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/store/types.js';
import { recordedChildRunApp } from './support/childRunApp.js';
import { runCli } from './support/cli.js';
import { useSharedTempDir } from './support/tempDb.js';

const dir = useSharedTempDir();
let db: string;
let runs: RunRecord[];
let parent: RunRecord;
const child = (callId: string) => runs.find((r) => r.parentCallId === callId)!;
const short = (run: RunRecord) => run.id.slice(0, 8);

beforeAll(async () => {
  db = join(dir(), 'runs.db');
  ({ runs, parent } = await recordedChildRunApp(db));
});

describe('runtape ls', () => {
  it('lists each child run below the run that started it, indented, and names its parent', () => {
    const result = runCli(['ls'], { db });
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+AGENTS\s+EVENTS\s+PARENT$/);
    // Parent first, then its children in the order their tool calls started them; the grandchild below its own parent.
    // By the header's columns: a child's name is indented inside its cell.
    const column = (title: string) => lines[0]!.indexOf(title);
    const rows = lines.slice(1).map((line) => ({
      id: line.slice(0, column('NAME')).trim(),
      name: line.slice(column('NAME'), column('STATUS')).trimEnd(),
      parent: line.slice(column('PARENT')).trim(),
    }));
    expect(rows).toEqual([
      { id: short(parent), name: 'orchestrated', parent: '—' },
      { id: short(child('call_hello')), name: '└ translate', parent: short(parent) },
      { id: short(child('call_thanks')), name: '└ translate', parent: short(parent) },
      { id: short(child('call_research')), name: '└ research', parent: short(parent) },
      { id: short(child('call_locate')), name: '  └ locate', parent: short(child('call_research')) },
    ]);
  });

  it('--json gives each run its parent run and tool call', () => {
    const listed = JSON.parse(runCli(['ls', '--json'], { db }).stdout) as RunRecord[];
    const hello = listed.find((r) => r.id === child('call_hello').id)!;
    expect([hello.parentRunId, hello.parentCallId]).toEqual([parent.id, 'call_hello']);
    expect(listed.find((r) => r.id === parent.id)).toMatchObject({ parentRunId: null, parentCallId: null });
  });

  it('a child whose parent is filtered out stays listed, naming its parent', () => {
    const result = runCli(['ls', '--agent', 'Geographer'], { db });
    expect(result.stdout).toContain(short(child('call_locate')));
    expect(result.stdout.split('\n')[1]).toMatch(new RegExp(`^${short(child('call_locate'))}\\s+locate\\s.*${short(child('call_research'))}$`));
  });
});

describe('runtape show', () => {
  it("lists a run's child runs under the tool calls that started them", () => {
    const result = runCli(['show', parent.id], { db });
    expect(result.status).toBe(0);
    const section = result.stdout.split('Child runs')[1]!.split('\n').slice(1).filter(Boolean);
    expect(section).toHaveLength(3);
    expect(section[0]).toMatch(new RegExp(`^  \\+\\d+\\.\\d{3}s  translate \\{"input":"Hello"\\} \\(call_hello\\) → run ${short(child('call_hello'))} Translator  completed `));
    expect(section[1]).toContain(`translate {"input":"Thanks"} (call_thanks) → run ${short(child('call_thanks'))} Translator  completed`);
    expect(section[2]).toContain(`research {"input":"Where is Paris?"} (call_research) → run ${short(child('call_research'))} Researcher  completed`);
  });

  it('says whose child a run is, and lists its own children', () => {
    const result = runCli(['show', child('call_research').id], { db });
    expect(result.stdout).toContain(`  child of   run ${parent.id}, tool call call_research (an agent used as a tool)`);
    expect(result.stdout).toContain(`locate {"input":"Paris"} (call_locate) → run ${short(child('call_locate'))} Geographer  completed`);
  });

  it('--json carries the links both ways', () => {
    const report = JSON.parse(runCli(['show', parent.id, '--json'], { db }).stdout) as { childRuns: { runId: string; callId: string; tool: string }[] };
    expect(report.childRuns.map((c) => [c.runId, c.callId, c.tool])).toEqual([
      [child('call_hello').id, 'call_hello', 'translate'],
      [child('call_thanks').id, 'call_thanks', 'translate'],
      [child('call_research').id, 'call_research', 'research'],
    ]);
    const childReport = JSON.parse(runCli(['show', child('call_hello').id, '--json'], { db }).stdout) as { run: RunRecord; childRuns: unknown[] };
    expect([childReport.run.parentRunId, childReport.run.parentCallId, childReport.childRuns]).toEqual([parent.id, 'call_hello', []]);
  });
});

describe('export and import', () => {
  it('carry the link from a child run to its parent run and tool call', () => {
    const other = join(dir(), 'other.db');
    for (const run of [parent, child('call_research')]) {
      const file = join(dir(), `${run.id}.jsonl`);
      expect(runCli(['export', run.id, '-o', file], { db }).status).toBe(0);
      expect(runCli(['import', file], { db: other }).status).toBe(0);
    }
    const imported = JSON.parse(runCli(['ls', '--json'], { db: other }).stdout) as RunRecord[];
    expect(imported.find((r) => r.id === child('call_research').id)).toMatchObject({ parentRunId: parent.id, parentCallId: 'call_research' });
    // Both imported: the child is listed below its parent again, and the parent's show finds it under its call.
    expect(runCli(['ls'], { db: other }).stdout).toContain(`${short(child('call_research'))}  └ research`);
    expect(runCli(['show', parent.id], { db: other }).stdout).toContain(`(call_research) → run ${short(child('call_research'))} Researcher`);
  });
});
