/**
 * Child runs (agents used as tools) in the inspector, in a real terminal: tmux runs the built `runtape` on runs
 * recorded with the real SDK runner on scripted models. The run list shows each child below its parent; the
 * parent's waterfall names the child run on the tool call that started it, enter opens it, u comes back.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/store/types.js';
import { recordedChildRunApp } from './support/childRunApp.js';
import { TmuxTerminal, requireTmux, rowOf } from './support/tmux.js';
import { useSharedTempDir } from './support/tempDb.js';

const dir = useSharedTempDir();
const terminals: TmuxTerminal[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
});

let db: string;
let runs: RunRecord[];
let parent: RunRecord;
const child = (callId: string) => runs.find((r) => r.parentCallId === callId)!;
const short = (run: RunRecord) => run.id.slice(0, 8);

beforeAll(async () => {
  requireTmux();
  db = join(dir(), 'runs.db');
  ({ runs, parent } = await recordedChildRunApp(db));
});

describe('child runs in the inspector', () => {
  it('lists each child below its parent, and opens it from the tool call that started it', async () => {
    const terminal = TmuxTerminal.start(['--db', db, 'inspect'], { cols: 200, rows: 40 });
    terminals.push(terminal);
    let screen = await terminal.waitFor('orchestrated');
    // The list: the parent, then its children indented in the order their tool calls started; a PARENT column names it.
    const listed = [parent, child('call_hello'), child('call_thanks'), child('call_research'), child('call_locate')].map((run) => rowOf(screen, short(run)));
    expect(listed).toEqual([...listed].sort((a, b) => a - b));
    expect(listed.at(-1)! - listed[0]!).toBe(4);
    expect(screen).toMatch(/PARENT/);
    const lines = screen.split('\n');
    expect(lines[listed[1]!]).toMatch(new RegExp(`${short(child('call_hello'))}  └ translate .*${short(parent)}`));
    expect(lines[listed[4]!]).toMatch(new RegExp(`${short(child('call_locate'))}    └ locate .*${short(child('call_research'))}`));

    // The parent's waterfall: the tool calls that ran agents name their child runs (by the short id lists show).
    terminal.keys('Enter');
    await terminal.waitFor('starting_agent');
    terminal.keys('w');
    screen = await terminal.waitFor((s) => s.includes(`research() → ${short(child('call_research'))}`));
    expect(screen).toContain(`translate() → ${short(child('call_hello'))}`);
    expect(screen).toContain(`translate() → ${short(child('call_thanks'))}`);

    // The first tool call, selected: the detail pane shows its child run; enter opens it.
    terminal.keys('}');
    screen = await terminal.waitFor(`child run ${short(child('call_hello'))}  Translator  completed`);
    terminal.keys('Enter');
    screen = await terminal.waitFor(`child of ${short(parent)}`);
    expect(screen).toContain(' translate ');
    // u: back to the run whose tool call started it.
    terminal.keys('u');
    screen = await terminal.waitFor((s) => s.includes(' orchestrated ') && !s.includes('child of'));
    // A run that is no child says so.
    terminal.keys('u');
    await terminal.waitFor('this run is no child run');
  });

  it("filters the list by a parent's id: the run and its children", async () => {
    const terminal = TmuxTerminal.start(['--db', db, 'inspect'], { cols: 160, rows: 40 });
    terminals.push(terminal);
    await terminal.waitFor('orchestrated');
    terminal.keys('/');
    terminal.type(short(child('call_research')));
    const screen = await terminal.waitFor('2 of 5 runs match');
    expect(screen).toContain(short(child('call_locate')));
    expect(screen).not.toContain(short(child('call_hello')));
  });
});
