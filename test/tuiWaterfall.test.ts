/**
 * The waterfall, the jump keys, pausing on handoffs and lost events, in a real terminal: tmux runs the built
 * `runtape inspect` on a demo run recorded with its realistic (simulated) timing; what each row and jump should
 * show is computed from the store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waterfallRows, type WaterfallRow } from '../src/analysis/waterfall.js';
import { formatOffset } from '../src/display/format.js';
import { openStore } from '../src/store/openStore.js';
import { newRunId } from '../src/store/runStore.js';
import type { RunRecord, StoredEvent } from '../src/store/types.js';
import { runCli } from './support/cli.js';
import { TmuxTerminal, requireTmux, rowOf } from './support/tmux.js';

const terminals: TmuxTerminal[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
});

function inspect(db: string, runId: string): TmuxTerminal {
  const terminal = TmuxTerminal.start(['--db', db, 'inspect', runId], { cols: 160, rows: 48 });
  terminals.push(terminal);
  return terminal;
}

function statusLine(screen: string): string {
  return screen.split('\n').find((line) => /(paused|playing) /.test(line)) ?? '';
}

let db: string;
let run: RunRecord;
let events: StoredEvent[];
let rows: WaterfallRow[];
/** The same run with events #120–#129 lost, as a recorder whose writer got stuck leaves it. */
let gapped: RunRecord;

beforeAll(async () => {
  requireTmux();
  db = join(mkdtempSync(join(tmpdir(), 'runtape-waterfall-')), 'demo.db');
  expect(runCli(['demo', '--scenario', 'duplicate-charge-and-outage', '--quiet'], { db }).status).toBe(0);
  const store = await openStore(db);
  [run] = await store.listRuns();
  events = [];
  for await (const event of store.iterateEvents(run!.id)) events.push(event);
  rows = waterfallRows(events, { captures: { modelCalls: await store.captures(run!.id, 'modelCall') } });
  const id = newRunId();
  await store.importRun(
    { ...run!, id, name: 'gapped', gaps: [{ fromSeq: 120, toSeq: 129 }] },
    await store.agents(run!.id),
    (async function* () {
      yield* events.filter((e) => e.seq < 120 || e.seq > 129);
    })(),
  );
  gapped = (await store.getRun(id))!;
  await store.close();
});

describe('the waterfall in the inspector', () => {
  it('shows every row in time order, steps from row to row, and jumps with 0–9', async () => {
    const last = events.at(-1)!.seq;
    const terminal = inspect(db, run.id);
    await terminal.waitFor('starting_agent');
    terminal.keys('w');
    // Read whole: the title no longer says how far it has read.
    let screen = await terminal.waitFor((s) => s.includes(`Waterfall (${rows.length} rows)  w: events`));
    // Each row's name, in order, indented under its agent (the pane cuts long names).
    const lines = screen.split('\n');
    const axis = rowOf(screen, '  time  +');
    const shown = lines.slice(axis + 1, axis + 1 + rows.length).map((line) => line.slice(2, 16));
    const name = (r: WaterfallRow) => (r.kind === 'tool' ? `${r.label}()` : r.modelCall?.model ? `${r.label} ${r.modelCall.model}` : r.label);
    expect(shown).toEqual(rows.map((r) => `${'  '.repeat(r.depth)}${name(r)}`.padEnd(14).slice(0, 14)));
    expect(screen).toContain('0s┈┈');
    expect(screen).toContain(`${formatOffset(run.durationUs!)}`);

    // Steps go from row to row; the detail pane shows the selected call's request as the recorder captured it.
    const calls = rows.filter((r) => r.kind === 'model');
    const request = calls[0]!.modelCall!;
    terminal.keys('j', 'j');
    screen = await terminal.waitFor((s) => statusLine(s).includes(`#${calls[0]!.seq}/${last}`));
    expect(screen).toMatch(/▶ {3}call 1 /);
    expect(screen).toMatch(/model {2}call 1 /);
    expect(screen).toContain(`input (${request.input.length} items)`);
    expect(screen).toContain((request.instructions ?? '').split('\n')[0]!.slice(0, 40));
    terminal.keys('k');
    await terminal.waitFor((s) => statusLine(s).includes(`#0/${last}`));

    // 5: half way through the run's length (the playhead on the last event before that time).
    const halfUs = run.durationUs! / 2;
    const halfSeq = events.filter((e) => e.tUs < halfUs).at(-1)!.seq;
    terminal.keys('5');
    screen = await terminal.waitFor((s) => statusLine(s).includes(`#${halfSeq}/${last}`));
    expect(statusLine(screen)).toContain(`${formatOffset(halfUs)}/`);
    const current = rows.filter((r) => r.seq !== null && r.seq <= halfSeq).at(-1)!;
    expect(screen).toContain(`▶ ${'  '.repeat(current.depth)}${current.label}`.slice(0, 12));
    terminal.keys('0');
    await terminal.waitFor((s) => statusLine(s).includes(`#—/${last}`));

    // Back to the events.
    terminal.keys('w');
    await terminal.waitFor((s) => s.includes(' Timeline') && !s.includes('Waterfall'));
    terminal.keys('q');
    await terminal.waitFor('EXITED 0');
  });

  it('pauses when a handoff occurs, with pause on handoff on', async () => {
    const last = events.at(-1)!.seq;
    const handoffs = events.filter((e) => e.name === 'handoff_occurred');
    expect(handoffs.length).toBeGreaterThan(1);
    const terminal = inspect(db, run.id);
    await terminal.waitFor('starting_agent');
    terminal.keys('w', 'p');
    await terminal.waitFor((s) => statusLine(s).includes('pause on handoff'));
    terminal.keys('+', '+', '+', '+', '+');
    await terminal.waitFor((s) => statusLine(s).includes('paused instant'));
    for (const handoff of handoffs.slice(0, 2)) {
      terminal.keys('Space');
      const screen = await terminal.waitFor((s) => statusLine(s).includes(`#${handoff.seq}/${last}`) && statusLine(s).includes('paused'));
      expect(screen).toContain('paused at a handoff');
      // The handoff's row is the selected one; it had no input filter: its record is what the next agent was sent.
      expect(screen).toMatch(/▶ {3}\S.* → /);
      expect(screen).toContain('no input filter: the next agent saw the conversation whole');
    }
    // Off again: playing runs to the end.
    terminal.keys('p', 'Space');
    await terminal.waitFor((s) => statusLine(s).includes(`#${last}/${last}`) && statusLine(s).includes('end of run'));
    terminal.keys('q');
    await terminal.waitFor('EXITED 0');
  });

  it('shows the events the recorder lost, in the status line, the timeline and the waterfall', async () => {
    const terminal = inspect(db, gapped.id);
    let screen = await terminal.waitFor('starting_agent');
    expect(statusLine(screen)).toContain('10 events lost in 1 gap');
    terminal.keys('t');
    await terminal.waitFor('seek to');
    terminal.type('#119');
    terminal.keys('Enter');
    screen = await terminal.waitFor((s) => s.includes('10 events lost (#120–#129)'));
    // Between the rows of the events stored on either side of it.
    const lines = screen.split('\n');
    const lost = rowOf(screen, '10 events lost (#120–#129)');
    const at = (seq: number) => formatOffset(events.find((e) => e.seq === seq)!.tUs);
    expect(lines[lost - 1]).toContain(`▶ ${at(119).padStart(11)}`);
    expect(lines.slice(lost + 1, lost + 3).some((line) => line.includes(`  ${at(130).padStart(11)}`))).toBe(true);
    // The copy has its events only: its calls' requests were not recorded.
    terminal.keys('w');
    screen = await terminal.waitFor('lost #120–#129');
    expect(screen).toContain('no request recorded for this call');
    terminal.keys('q');
    await terminal.waitFor('EXITED 0');
  });
});
