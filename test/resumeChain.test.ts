/**
 * A run interrupted for approval in one process and resumed from its serialized RunState in another (tracing
 * off, as applications run): the resumed run names the run it continues in `ls`, and in the inspector's run
 * list and run page.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { childScript } from './support/childScripts.js';
import { runCli } from './support/cli.js';
import { useSharedTempDir } from './support/tempDb.js';
import { TmuxTerminal, requireTmux } from './support/tmux.js';

const run = promisify(execFile);
const CHILD = childScript('approvalChild');
const sharedDir = useSharedTempDir();

/** Runs one step of the approval flow in a process of its own; the id of the run it recorded. */
async function approvalStep(mode: 'interrupt' | 'resume', db: string, stateFile: string): Promise<string> {
  const { stdout } = await run(process.execPath, [CHILD, mode, db, stateFile], {
    env: { ...process.env, OPENAI_AGENTS_DISABLE_TRACING: '1' },
  });
  return /^run ([0-9a-f]+)$/m.exec(stdout)![1]!;
}

let db: string;
let interrupted: string;
let resumed: string;
/** A run recorded in the same database that resumed nothing. */
let unrelated: string;

beforeAll(async () => {
  db = join(sharedDir(), 'runs.db');
  const stateFile = join(sharedDir(), 'state.json');
  interrupted = await approvalStep('interrupt', db, stateFile);
  resumed = await approvalStep('resume', db, stateFile);
  unrelated = await approvalStep('interrupt', db, join(sharedDir(), 'other-state.json'));
}, 120_000);

let terminal: TmuxTerminal | undefined;
afterEach(() => {
  terminal?.kill();
  terminal = undefined;
});

describe('a run resumed in another process', () => {
  it('is linked to the run it continues', () => {
    const runs = JSON.parse(runCli(['ls', '--json'], { db }).stdout) as { id: string; status: string; resumedFrom: string | null }[];
    expect(runs.map((r) => [r.id, r.status, r.resumedFrom])).toEqual([
      [unrelated, 'interrupted', null],
      [resumed, 'completed', interrupted],
      [interrupted, 'interrupted', null],
    ]);
  });

  it('names the run it resumes in `runtape ls`', () => {
    const lines = runCli(['ls'], { db }).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+AGENTS\s+EVENTS\s+RESUMES$/);
    const row = (id: string) => lines.find((line) => line.startsWith(id.slice(0, 8)))!;
    expect(row(resumed)).toMatch(new RegExp(`\\s${interrupted.slice(0, 8)}$`));
    expect(row(interrupted)).toMatch(/\s—$/);
    expect(row(unrelated)).toMatch(/\s—$/);
  });

  it('leaves the RESUMES column out of a list without resumed runs', () => {
    const lines = runCli(['ls', '--status', 'interrupted'], { db }).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+AGENTS\s+EVENTS$/);
    expect(lines).toHaveLength(3);
  });

  it('names the run it resumes in the inspector: its row of the run list, the filter, and its run page', async () => {
    requireTmux();
    terminal = TmuxTerminal.start(['--db', db, 'inspect'], { cols: 160, rows: 30 });
    const list = await terminal.waitFor((screen) => screen.includes('RESUMES') && screen.includes(unrelated.slice(0, 8)));
    // A run's row: the one that starts with its short id (after the selection marker and the comparison mark).
    const row = (screen: string, id: string) => screen.split('\n').find((line) => line.slice(3).startsWith(id.slice(0, 8)));
    expect(row(list, resumed)).toMatch(new RegExp(`\\s${interrupted.slice(0, 8)}\\s*$`));
    expect(row(list, interrupted)).not.toMatch(/[0-9a-f]{8}\s*$/);

    // Filtering by the interrupted run's id shows the chain: that run and the run that continued it.
    terminal.keys('/');
    terminal.type(interrupted.slice(0, 8));
    const filtered = await terminal.waitFor((screen) => !row(screen, unrelated) && screen.includes('2 of 3 runs match'));
    expect(row(filtered, interrupted)).toBeDefined();
    expect(row(filtered, resumed)).toBeDefined();

    // The resumed run's page names the run it continues in its header.
    terminal.keys('Escape');
    await terminal.waitFor((screen) => row(screen, unrelated) !== undefined);
    terminal.keys('/');
    terminal.type(resumed.slice(0, 8));
    await terminal.waitFor((screen) => screen.includes('1 of 3 runs match'));
    terminal.keys('Enter');
    const page = await terminal.waitFor('Timeline');
    const header = page.split('\n').find((line) => line.includes(' events ') && line.includes(resumed.slice(0, 8)));
    expect(header).toMatch(new RegExp(`${resumed.slice(0, 8)}  ·  resumes ${interrupted.slice(0, 8)}  ·`));
  });
});
