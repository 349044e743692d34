/**
 * Comparing two runs in the inspector, in a real terminal: tmux runs the built `runtape inspect` on runs of the
 * orders application recorded through the real runner (one with Orders' instructions changed, one unchanged);
 * two are marked in the run list and opened side by side. What should differ is what `diffRuns` finds.
 */
import { setTracingDisabled } from '@openai/agents';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RecordingRunner, openStore, recordedRunId, recordingStored } from '../src/index.js';
import { readRecordedRun } from '../src/rerun/recordedRun.js';
import { diffRuns } from '../src/rerun/runDiff.js';
import { ORDERS_QUESTION, ordersApp, scriptedOrdersProvider } from './support/ordersApp.js';
import { useSharedTempDir } from './support/tempDb.js';
import { TmuxTerminal, requireTmux, rowOf } from './support/tmux.js';

const tempDir = useSharedTempDir();
const terminals: TmuxTerminal[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
});

const RECORDED_INSTRUCTIONS = 'You are Orders; today is day 42.';
/** Changed instructions carrying an escape sequence: the terminal must show it, not obey it. */
const CHANGED_INSTRUCTIONS = 'You are Orders.\x1b[31m Be terse.';

let db: string;
const ids = { source: '', changed: '', same: '' };
/** The runs as the run list shows them, newest first. */
let listed: string[];
let changedDifferences: number;

async function recordOrders(name: string, instructions?: string): Promise<string> {
  const store = await openStore(db);
  const app = ordersApp(instructions ? { instructions } : {});
  const result = await new RecordingRunner({ modelProvider: scriptedOrdersProvider() }, { db: store, name }).run(app.triage, ORDERS_QUESTION, { stream: true });
  for await (const _ of result);
  await recordingStored(result);
  await store.close();
  return recordedRunId(result)!;
}

beforeAll(async () => {
  requireTmux();
  setTracingDisabled(true);
  db = join(tempDir(), 'orders.db');
  ids.source = await recordOrders('source');
  ids.changed = await recordOrders('changed \x1b]0;evil\x07', CHANGED_INSTRUCTIONS);
  ids.same = await recordOrders('same');
  const store = await openStore(db);
  listed = (await store.listRuns()).map((run) => run.id);
  const read = async (id: string) => readRecordedRun(store, (await store.getRun(id))!);
  const diff = diffRuns(await read(ids.source), await read(ids.changed));
  changedDifferences = diff.differences.length;
  // The runs differ in Orders' instructions, call by call, and in nothing the scripted model answered.
  expect(diff.differences.map((d) => [d.call, d.field])).toEqual([
    [2, 'instructions'],
    [3, 'instructions'],
  ]);
  expect(diffRuns(await read(ids.source), await read(ids.same)).equal).toBe(true);
  await store.close();
});

function inspect(rows: number): TmuxTerminal {
  const terminal = TmuxTerminal.start(['--db', db, 'inspect'], { cols: 140, rows });
  terminals.push(terminal);
  return terminal;
}

/** Moves the selection from the top of the list to `id`'s row. */
function select(terminal: TmuxTerminal, id: string, from: string): void {
  const steps = listed.indexOf(id) - listed.indexOf(from);
  for (let i = 0; i < Math.abs(steps); i++) terminal.keys(steps > 0 ? 'j' : 'k');
}

/** Whether a styled line sets a background colour anywhere (SGR 40–47 or 100–107; 49 is the default). */
function hasBackground(line: string): boolean {
  return /\x1b\[(?:\d+;)*(?:4[0-7]|10[0-7])(?:;\d+)*m/.test(line);
}

/** The row of the run list showing `id`, with its selection and mark cells. */
function listRow(screen: string, id: string): string {
  return screen.split('\n').find((line) => line.includes(id.slice(0, 8))) ?? '';
}

describe('comparing two runs in the inspector', () => {
  it('marks two runs, shows them side by side with the differences highlighted, scrolls, and goes back with Esc', async () => {
    // Too short for the whole comparison: it scrolls.
    const terminal = inspect(14);
    await terminal.waitFor('3 runs');
    // The keys are in the help overlay.
    terminal.keys('?');
    let screen = await terminal.waitFor('compare the two marked runs');
    expect(screen).toContain('mark / unmark the selected run');
    terminal.keys('Escape');
    await terminal.waitFor((s) => !s.includes('compare the two marked runs'));

    select(terminal, ids.source, listed[0]!);
    terminal.keys('m');
    screen = await terminal.waitFor((s) => /^▶A /.test(listRow(s, ids.source)));
    select(terminal, ids.changed, ids.source);
    terminal.keys('m');
    screen = await terminal.waitFor((s) => /^▶B /.test(listRow(s, ids.changed)));
    expect(listRow(screen, ids.source)).toMatch(/^ A /);

    terminal.keys('d');
    screen = await terminal.waitFor(`differ (${changedDifferences} differences`);
    // Each side named (the recorded name sanitized), A on the left.
    expect(screen).toContain(`A ${ids.source.slice(0, 8)} source`);
    expect(screen).toContain(`B ${ids.changed.slice(0, 8)} changed ␛]0;evil␇`);
    expect(screen).toMatch(/call 1 +agent Triage +│ agent Triage/);

    // The first difference, scrolled to the top: Orders' instructions, each side's, the escape shown as text.
    terminal.keys('n');
    screen = await terminal.waitFor((s) => s.split('\n')[2]!.startsWith('≠ instructions'));
    const row = screen.split('\n')[2]!;
    expect(row).toContain(JSON.stringify(RECORDED_INSTRUCTIONS));
    expect(row + screen.split('\n')[3]).toContain('"You are Orders.\\u001b[31m Be terse."');
    // Highlighted: the differing row has a background, an equal one (the tools offered) none.
    const styled = terminal.styledScreen().split('\n');
    expect(hasBackground(styled[2]!)).toBe(true);
    const tools = rowOf(screen, '  tools ');
    expect(tools).toBeGreaterThan(2);
    expect(hasBackground(styled[tools]!)).toBe(false);
    expect(screen.split('\n')[tools]).toMatch(/lookup_order +│ lookup_order/);

    // The second difference, in view at the bottom; past it, none.
    terminal.keys('n');
    await terminal.waitFor((s) => rowOf(s, 'call 3') > 0 && rowOf(s, '≠ instructions') === rowOf(s, 'call 3') + 1);
    terminal.keys('n');
    await terminal.waitFor('no further difference');
    // The end: the final output, equal on both sides.
    terminal.keys('G');
    screen = await terminal.waitFor('final output');
    expect(screen).toMatch(/final output +"Order 1234 shipped yesterday; it arrives Friday\." +│ "Order 1234/);
    terminal.keys('?');
    await terminal.waitFor('next difference');
    terminal.keys('q');
    terminal.keys('Escape');
    screen = await terminal.waitFor('3 runs');
    // Back in the list, the marks kept.
    expect(listRow(screen, ids.changed)).toMatch(/^▶B/);
    terminal.keys('q');
    await terminal.waitFor('EXITED 0');
  });

  it('says two equal runs are equal (one marked, compared with the selected run)', async () => {
    const terminal = inspect(40);
    await terminal.waitFor('3 runs');
    select(terminal, ids.source, listed[0]!);
    terminal.keys('m');
    await terminal.waitFor((s) => /▶A/.test(listRow(s, ids.source)));
    // Nothing to compare the marked run with but itself: the footer says how.
    terminal.keys('d');
    await terminal.waitFor('mark two with m');
    select(terminal, ids.same, ids.source);
    terminal.keys('d');
    const screen = await terminal.waitFor(`runs ${ids.source.slice(0, 8)} and ${ids.same.slice(0, 8)} are equal`);
    expect(screen).not.toContain('≠');
    expect(screen).toContain('call 3');
    terminal.keys('Escape');
    await terminal.waitFor('3 runs');
    terminal.keys('q');
    await terminal.waitFor('EXITED 0');
  });
});
