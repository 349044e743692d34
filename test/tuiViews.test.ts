/**
 * The inspector's view models, without a terminal: what the timeline shows for a window, what the text
 * pane holds at a position, the handoffs lane, the payload pane, the runs list, the key tables.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../src/analysis/runAnalyzer.js';
import { openStore as openStoreAt } from '../src/store/openStore.js';
import type { RunStore } from '../src/store/runStore.js';
import type { StoredEvent } from '../src/store/types.js';
import { GLOBAL_KEYS, RUN_KEYS, RUNS_KEYS, actionFor, keyNameOf, type Binding } from '../src/tui/keys.js';
import { promptKey, type Prompt } from '../src/tui/prompt.js';
import { AgentColours } from '../src/tui/views/agentColours.js';
import { DETAIL_MAX_CHARS, eventDetail } from '../src/tui/views/detail.js';
import { handoffLane, wrap } from '../src/tui/views/handoffLane.js';
import { helpLines } from '../src/tui/views/help.js';
import { runLayout, type Rect } from '../src/tui/views/layout.js';
import { OutputText, textPaneLines } from '../src/tui/views/outputText.js';
import { RunsList, runMatches, runsTable } from '../src/tui/views/runsList.js';
import { filterLine, timingLine } from '../src/tui/views/status.js';
import { plainOf } from '../src/tui/views/styled.js';
import { GAP_MARK_US, Summaries, Timeline, timelineLine, timelineRows, type TimelineRow } from '../src/tui/views/timeline.js';
import { displayWidth, fitWidth } from '../src/tui/views/width.js';
import { storeLargeRun } from './support/largeRun.js';
import { storeSyntheticRun, type SyntheticEvent } from './support/syntheticRun.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();
const openStore = () => openStoreAt(join(tempDir(), 'runs.db'));

const delta = (tUs: number, text: string, agent = 'A'): SyntheticEvent => ({
  tUs,
  level: 'raw',
  name: 'output_text_delta',
  agent,
  payload: { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: text } },
});
const started = (tUs: number, agent = 'A'): SyntheticEvent => ({ tUs, level: 'raw', name: 'response_started', agent });
const item = (tUs: number, name: string, agent = 'A'): SyntheticEvent => ({ tUs, level: 'item', name, agent });

/** What a row says, in short: the seq of an event row (with > for the selected one, ~ for unplayed), or `gap`. */
function describeRows(rows: TimelineRow[]): string[] {
  return rows.map((r) => (r.kind === 'gap' ? `gap ${r.us}` : r.kind === 'lost' ? `lost ${r.range.fromSeq}-${r.range.toSeq}` : `${r.selected ? '>' : ''}${r.played ? '' : '~'}${r.event.seq}`));
}

function event(seq: number, tUs: number): StoredEvent {
  return { seq, tUs, level: 'raw', name: 'response_started', agent: 'A', payload: '{}' };
}

describe('timeline', () => {
  it('gives one row per event and a gap row before a long silence, up to the height', async () => {
    const events = [event(0, 0), event(1, 10), event(2, 10 + GAP_MARK_US), event(3, 20 + GAP_MARK_US), event(4, 30 + GAP_MARK_US)];
    expect(describeRows(timelineRows(events, { height: 10, selectedSeq: 1, position: 1 }))).toEqual(['0', '>1', `gap ${GAP_MARK_US}`, '~2', '~3', '~4']);
    expect(describeRows(timelineRows(events, { height: 4, selectedSeq: null, position: -1 }))).toEqual(['~0', '~1', `gap ${GAP_MARK_US}`, '~2']);
    // Events the recorder lost between two shown ones get a row of their own.
    const lost = [event(0, 0), event(1, 10), event(5, 20)];
    expect(describeRows(timelineRows(lost, { height: 10, selectedSeq: 1, position: 1, gaps: [{ fromSeq: 2, toSeq: 4 }] }))).toEqual(['0', '>1', 'lost 2-4', '~5']);
    expect(plainOf(timelineLine({ kind: 'lost', range: { fromSeq: 2, toSeq: 4 } }, 80, new AgentColours([]), new Summaries()))).toMatch(/^ {2}╳╳╳╳ 3 events lost \(#2–#4\)/);
    // Just under the mark: no gap row.
    expect(describeRows(timelineRows([event(0, 0), event(1, GAP_MARK_US - 1)], { height: 4, selectedSeq: 0, position: 0 }))).toEqual(['>0', '~1']);
  });

  it('reads only the window it shows, scrolls to keep the playhead in view, and follows the level filter', async () => {
    const store = await openStore();
    // 100 events: a text delta every 10 ms, and an item every 10th.
    const runId = await storeSyntheticRun(store, Array.from({ length: 99 }, (_, i) => ((i + 1) % 10 === 0 ? item((i + 1) * 10_000, 'tool_called') : delta((i + 1) * 10_000, 'x'))));
    const timeline = new Timeline(store, runId);
    const reads: { fromSeq: number; limit: number }[] = [];
    const readEvents = store.readEvents.bind(store);
    store.readEvents = (id, window) => (reads.push(window), readEvents(id, window));

    expect(describeRows(await timeline.rows(-1, 5))).toEqual(['~0', '~1', '~2', '~3', '~4']);
    expect(describeRows(await timeline.rows(2, 5))).toEqual(['0', '1', '>2', '~3', '~4']);
    expect(Math.max(...reads.map((r) => r.limit))).toBeLessThanOrEqual(6);

    // Down past the window: it scrolls, keeping a row of context below the playhead (margin of 1 at height 5).
    expect(describeRows(await timeline.rows(50, 5))).toEqual(['47', '48', '49', '>50', '~51']);
    // Back up: the window stays put while the playhead is inside it with a row of context.
    expect(describeRows(await timeline.rows(49, 5))).toEqual(['47', '48', '>49', '~50', '~51']);
    expect(describeRows(await timeline.rows(47, 5))).toEqual(['46', '>47', '~48', '~49', '~50']);
    // At the end, the window fills from the bottom.
    expect(describeRows(await timeline.rows(99, 5))).toEqual(['95', '96', '97', '98', '>99']);

    // Only items: the playhead's row is the last item at or before it.
    timeline.toggle('raw');
    timeline.toggle('agent');
    expect((await timeline.selectedAt(55))?.seq).toBe(50);
    expect(describeRows(await timeline.rows(55, 3))).toEqual(['>50', '~60', '~70']);
    // Near the end, the window fills upwards.
    expect(describeRows(await timeline.rows(55, 8))).toEqual(['20', '30', '40', '>50', '~60', '~70', '~80', '~90']);
    expect((await timeline.neighbour(55, 1))?.seq).toBe(60);
    expect((await timeline.neighbour(50, -1, 2))?.seq).toBe(30);
    expect(await timeline.selectedAt(5)).toBeUndefined();
    expect(describeRows(await timeline.rows(5, 3))).toEqual(['~10', '~20', '~30']);
    // Never more than a window (the height, and one more to see whether more follow).
    expect(reads.every((r) => r.limit <= 9)).toBe(true);
  });

  it('counts gap rows when it scrolls', async () => {
    const store = await openStore();
    // Every event follows a long silence: each takes two rows.
    const runId = await storeSyntheticRun(store, Array.from({ length: 30 }, (_, i) => delta((i + 1) * 2 * GAP_MARK_US, 'x')));
    const rows = await new Timeline(store, runId).rows(20, 6);
    expect(rows).toHaveLength(6);
    expect(describeRows(rows).filter((r) => !r.startsWith('gap'))).toContain('>20');
  });

  it('draws a row as exactly the width, sanitized, the summary shortened', async () => {
    const colours = new AgentColours(['Agent {red-fg}']);
    const hostile: StoredEvent = {
      seq: 7,
      tUs: 1_234_567,
      level: 'raw',
      name: 'output_text_delta',
      agent: 'Agent {red-fg}',
      payload: JSON.stringify({ type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: 'a\x1b[2Jb 日本語 ' + 'y'.repeat(200) } }),
    };
    for (const width of [60, 88, 160]) {
      const line = timelineLine({ kind: 'event', event: hostile, selected: true, played: true }, width, colours, new Summaries());
      const text = plainOf(line);
      expect(displayWidth(text)).toBe(width);
      expect(text).toMatch(width < 88 ? /^▶ +\+1\.235s raw {3}Agent \{re… output_text_de… "a\\u001b/ : /^▶ +\+1\.235s raw {3}Agent \{red-fg\} +output_text_delta {6}"a\\u001b\[2Jb 日本語 y+…$/);
      expect(text).not.toContain('\x1b');
      expect(text.endsWith('…')).toBe(true);
      expect(line.every((s) => s.style?.inverse)).toBe(true);
    }
    const gap = plainOf(timelineLine({ kind: 'gap', us: 1_500_000 }, 50, colours, new Summaries()));
    expect(gap).toMatch(/^ {2}┈{4} 1\.50 s gap ┈+$/);
    expect(displayWidth(gap)).toBe(50);
  });
});

describe('output text', () => {
  async function textRun(store: RunStore): Promise<{ runId: string; events: SyntheticEvent[] }> {
    const events = [
      started(1),
      delta(2, 'Hello '),
      delta(3, 'there.'),
      item(4, 'message_output_created'),
      started(5, 'B'),
      item(6, 'tool_called', 'B'),
      started(7, 'B'),
      delta(8, 'Line one\n', 'B'),
      delta(9, 'line \x1b[31mtwo', 'B'),
    ];
    return { runId: await storeSyntheticRun(store, events), events };
  }

  it('holds the text streamed up to the position, a paragraph per response, with its agent', async () => {
    const store = await openStore();
    const { runId } = await textRun(store);
    const text = new OutputText(store, runId);
    expect(await text.at(-1, 1000)).toEqual([]);
    expect(await text.at(2, 1000)).toEqual([{ agent: 'A', text: 'Hello ', whole: true }]);
    expect(await text.at(7, 1000)).toEqual([{ agent: 'A', text: 'Hello there.', whole: true }]);
    // A response without text (a tool call) is no paragraph; control characters become stand-ins.
    expect(await text.at(9, 1000)).toEqual([
      { agent: 'A', text: 'Hello there.', whole: true },
      { agent: 'B', text: 'Line one\nline ␛[31mtwo', whole: true },
    ]);
    expect(await text.at(3, 1000)).toEqual([{ agent: 'A', text: 'Hello there.', whole: true }]);
  });

  it('keeps only the tail that fits, marking a paragraph whose start is not held', async () => {
    const store = await openStore();
    const { runId } = await textRun(store);
    // 20 characters: both deltas of the second answer, and its start (so it is whole), not the first answer.
    const paragraphs = await new OutputText(store, runId).at(9, 20);
    expect(paragraphs).toEqual([{ agent: 'B', text: 'Line one\nline ␛[31mtwo', whole: true }]);
    expect(await new OutputText(store, runId).at(9, 10)).toEqual([{ agent: 'B', text: 'line ␛[31mtwo', whole: false }]);
    const cut = await new OutputText(store, runId).at(3, 3);
    expect(cut).toEqual([{ agent: 'A', text: 'there.', whole: false }]);
    const lines = textPaneLines(cut, new AgentColours(['A'])).map(plainOf);
    expect(lines).toEqual(['▌ A (continued)', 'there.']);
  });

  it('gives the same text moving forward, backward or jumping, as computed afresh', async () => {
    const store = await openStore();
    const runId = await storeLargeRun(store, 3000, { deltasPerTurn: 40 });
    const moving = new OutputText(store, runId);
    const positions = [0, 5, 6, 7, 50, 51, 400, 399, 1200, 1201, 1250, 2999, 10, 2500];
    for (const position of positions) {
      expect(await moving.at(position, 300), `at ${position}`).toEqual(await new OutputText(store, runId).at(position, 300));
    }
  });

  it('reads back from the position, not the run from its start', async () => {
    const store = await openStore();
    const runId = await storeLargeRun(store, 50_000);
    let read = 0;
    const readEvents = store.readEvents.bind(store);
    store.readEvents = async (id, window) => {
      const events = await readEvents(id, window);
      read += events.length;
      return events;
    };
    const text = new OutputText(store, runId);
    const paragraphs = await text.at(49_000, 2000);
    expect(paragraphs.map((p) => p.text).join('').length).toBeGreaterThanOrEqual(2000);
    expect(read).toBeLessThan(2000);
    // Playing on: only the new events are read.
    read = 0;
    for (let position = 49_001; position <= 49_100; position++) await text.at(position, 2000);
    expect(read).toBeLessThanOrEqual(100);
  });
});

describe('handoffs lane', () => {
  it('shows the graph at start, the path, and each handoff with its tool, arguments and reason', async () => {
    const store = await openStore();
    const runId = await storeLargeRun(store, 2000, { deltasPerTurn: 10 });
    const analysis = await analyzeEvents(store.iterateEvents(runId));
    expect(analysis.handoffs.length).toBeGreaterThan(2);
    const [first, second] = analysis.handoffs;
    const agents = await store.agents(runId);
    const lane = (position: number) =>
      handoffLane({ agents, path: analysis.agentPath, handoffs: analysis.handoffs, position, width: 80, colours: new AgentColours([]) });

    const before = lane(0);
    const text = before.lines.map(plainOf);
    expect(text[0]).toBe('Agents at start');
    expect(text).toContain('  Triage Agent → Billing Agent');
    expect(text).toContain('    tools: tool_0');
    expect(text.find((l) => l.startsWith('Path  '))).toMatch(/^Path {2}Triage Agent → Billing Agent/);
    expect(text.every((l) => l.length <= 80)).toBe(true);
    expect(text.some((l) => l.startsWith('▶'))).toBe(false);
    expect(before.focus).toBe(0);

    // Once the first handoff has occurred, it is marked, and the lane keeps it in view.
    const after = lane(first!.occurredSeq!);
    expect(plainOf(after.lines[after.focus]!)).toMatch(/^▶ \+\d+\.\d{3}s Triage Agent → Billing Agent$/);
    expect(plainOf(after.lines[after.focus + 1]!)).toBe(`    via transfer_to_Billing_Agent  (#${first!.requestedSeq} requested, #${first!.occurredSeq} occurred)`);
    expect(plainOf(after.lines[after.focus + 2]!)).toBe('    args: {"reason":"next"}');
    // Handoffs still ahead are grey.
    const ahead = after.lines.find((l) => plainOf(l).endsWith(`s ${second!.from} → ${second!.to}`))!;
    expect(ahead.every((s) => s.style?.fg === 'gray' || s.text.trim() === '')).toBe(true);
  });

  it('wraps a reason to the width, cutting after the last line', async () => {
    expect(wrap('one two three four five six', 10, 2)).toEqual(['one two', 'three fou…']);
    expect(wrap('short', 10, 3)).toEqual(['short']);
  });
});

describe('payload detail', () => {
  const hostile: StoredEvent = {
    seq: 3,
    tUs: 2_000_000,
    level: 'item',
    name: 'tool_output',
    agent: 'A',
    payload: JSON.stringify({ type: 'run_item_stream_event', item: { output: 'Refund {red-fg}done{/} \u202eevil' } }),
  };

  it('is the payload as indented JSON, sanitized, matches of the search marked', async () => {
    const detail = eventDetail(hostile, 'REFUND');
    expect(detail.title).toBe('#3  +2.000s  item  tool_output  A');
    const text = detail.lines.map(plainOf);
    expect(text).toEqual(['{', '  "type": "run_item_stream_event",', '  "item": {', '    "output": "Refund {red-fg}done{/} <U+202E>evil"', '  }', '}']);
    expect(detail.matchLine).toBe(3);
    expect(detail.lines[3]!.find((s) => s.style?.bg === 'yellow')?.text).toBe('Refund');
    expect(eventDetail(hostile).matchLine).toBeNull();
  });

  it('cuts a huge payload, saying so', async () => {
    const huge = { ...hostile, payload: JSON.stringify({ text: 'x'.repeat(DETAIL_MAX_CHARS * 2) }) };
    const lines = eventDetail(huge).lines.map(plainOf);
    expect(lines.join('\n').length).toBeLessThan(DETAIL_MAX_CHARS + 200);
    expect(lines.at(-1)).toMatch(/more characters \(runtape export shows the whole event\)$/);
  });

  it('says when nothing has played yet', async () => {
    expect(eventDetail(undefined).lines.map(plainOf)).toEqual(['(start of the run: nothing played yet)']);
  });
});

describe('status lines', () => {
  it('show the clock, TTFT, tokens/s, the gap before the selected event, and the filter with counts', async () => {
    const timing = plainOf(
      timingLine({
        playing: false,
        atEnd: false,
        speed: 4,
        idleLimitUs: 1_000_000,
        clockUs: 1_500_000,
        totalUs: 15_338_000,
        ttftUs: 2_460_000,
        tokensPerSecond: 18.34,
        analysed: 1,
        gapBeforeUs: 950_000,
        selectedSeq: 5,
        lastSeq: 270,
      }),
    );
    expect(timing).toBe('❚❚ paused 4x  +1.500s/15.338s  TTFT 2.46 s  18.3 tok/s  gap 950 ms  #5/270  idle cap 1.00 s');
    const analysing = plainOf(
      timingLine({ playing: true, atEnd: false, speed: 'instant', idleLimitUs: null, clockUs: 0, totalUs: 0, ttftUs: null, tokensPerSecond: null, analysed: 0.42, gapBeforeUs: null, selectedSeq: null, lastSeq: 9 }),
    );
    expect(analysing).toBe('▶ playing instant  +0.000s/0.000s  TTFT —…  —… tok/s  gap —  #—/9  analysing 42%');
    expect(plainOf(filterLine({ shown: new Set(['item', 'agent']), counts: { raw: 250, item: 17, agent: 4 }, search: 'x{y}' }))).toBe(
      '[ ] R raw 250  [x] I item 17  [x] A agent 4  /x{y}  n/N next/previous match',
    );
  });
});

describe('runs list', () => {
  it('filters on every word, keeps the selection on its run, scrolls to it', async () => {
    const store = await openStore();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await storeSyntheticRun(store, [delta(10, 'x')]));
    const list = new RunsList(() => store.listRuns());
    await list.reload();
    const visible = list.visible.map((r) => r.id);
    expect(visible).toHaveLength(3);
    list.move(1);
    const selected = list.selected!.id;
    list.setFilter(selected.slice(0, 6));
    expect(list.visible.map((r) => r.id)).toEqual([selected]);
    list.setFilter('');
    expect(list.selected!.id).toBe(selected);
    expect(list.window(1).map((r) => r.id)).toEqual([selected]);
    list.setFilter('nothing matches this');
    expect(list.selected).toBeUndefined();
    const first = (await store.getRun(ids[0]!))!;
    expect(runMatches(first, 'SYNTHETIC completed')).toBe(true);
    expect(runMatches(first, 'synthetic error')).toBe(false);
  });

  it('draws rows of exactly the width, the recorded name sanitized', async () => {
    const store = await openStore();
    const runId = await storeSyntheticRun(store, [delta(10, 'x')]);
    const run = { ...(await store.getRun(runId))!, name: 'evil \x1b]0;t\x07 {bold}' };
    for (const width of [80, 130]) {
      const table = runsTable([run], run.id, width);
      const header = plainOf(table.header);
      expect(header).toMatch(/^ {3}ID {8}NAME/);
      // A narrow terminal drops the start time and the run resumed, keeping room for names and agents.
      expect(header.includes('STARTED')).toBe(width >= 110);
      expect(header.includes('RESUMES')).toBe(width >= 110);
      const row = plainOf(table.rows[0]!);
      expect(displayWidth(header)).toBe(width);
      expect(displayWidth(row)).toBe(width);
      expect(row).toContain(width >= 110 ? 'evil ␛]0;t␇ {bold}' : 'evil ␛]0;t');
      expect(row).toContain('completed');
    }
  });
});

describe('layout', () => {
  const inside = (r: Rect, cols: number, rows: number) => r.left >= 0 && r.top >= 0 && r.left + r.width <= cols && r.top + r.height <= rows - 1 && r.width > 0 && r.height > 0;
  const overlap = (a: Rect, b: Rect) => a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

  it.each([
    [160, 48],
    [120, 30],
    [80, 24],
    [60, 15],
  ])('puts every pane on a %ix%i screen, none overlapping, the footer row free', (cols, rows) => {
    const rects = Object.values(runLayout(cols, rows));
    for (const r of rects) expect(inside(r, cols, rows), JSON.stringify(r)).toBe(true);
    for (const [i, a] of rects.entries()) for (const b of rects.slice(i + 1)) expect(overlap(a, b), `${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(false);
  });
});

describe('keys', () => {
  const tables: [string, readonly Binding[]][] = [
    ['run', RUN_KEYS],
    ['runs', RUNS_KEYS],
  ];

  it.each(tables)('the %s table binds each key once, and none that the global keys use', (_, table) => {
    const keys = [...table, ...GLOBAL_KEYS].flatMap((b) => b.keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(table.map((b) => b.action)).size).toBe(table.length);
  });

  it('names keys as blessed reports them, Enter once', async () => {
    expect(keyNameOf('j', { name: 'j' })).toBe('j');
    expect(keyNameOf('G', { name: 'g', shift: true } as { name: string })).toBe('G');
    expect(keyNameOf('+', undefined)).toBe('+');
    expect(keyNameOf(' ', { name: 'space' })).toBe('space');
    expect(keyNameOf('\r', { name: 'enter' })).toBe('enter');
    expect(keyNameOf('\r', { name: 'return' })).toBeUndefined();
    expect(keyNameOf('\x03', { name: 'c', ctrl: true })).toBe('C-c');
    expect(keyNameOf(undefined, { name: 'pagedown' })).toBe('pagedown');
    expect(keyNameOf('x', { name: 'x', meta: true })).toBeUndefined();
    expect(actionFor(RUN_KEYS, 'j')).toBe('next');
    expect(actionFor(RUN_KEYS, ']')).toBe('nextHandoff');
    expect(actionFor(RUN_KEYS, 'q')).toBeUndefined();
  });

  it('the help lists every key of the sections it is given', async () => {
    const help = helpLines([{ title: 'Run', bindings: RUN_KEYS }]).map(plainOf);
    expect(help[0]).toBe('Run');
    for (const b of RUN_KEYS) expect(help.some((line) => line.endsWith(b.help))).toBe(true);
    expect(help).toContain(`  ↓ j →          ${RUN_KEYS.find((b) => b.action === 'next')!.help}`);
  });

  it('a line prompt edits, submits and cancels; a confirmation takes y only', async () => {
    const changes: string[] = [];
    let submitted: string | undefined;
    const others: string[] = [];
    const prompt: Prompt = { kind: 'line', label: 'x', value: '', onChange: (v) => changes.push(v), onSubmit: (v) => void (submitted = v), onOtherKey: (k) => others.push(k) };
    for (const key of ['a', 'b', 'backspace', 'space', 'c', 'down']) expect(await promptKey(prompt, key)).toBe('open');
    expect(changes).toEqual(['a', 'ab', 'a', 'a ', 'a c']);
    expect(others).toEqual(['down']);
    expect(await promptKey(prompt, 'enter')).toBe('closed');
    expect(submitted).toBe('a c');
    let yes = 0;
    expect(await promptKey({ kind: 'confirm', question: '?', onYes: () => void yes++ }, 'n')).toBe('closed');
    expect(await promptKey({ kind: 'confirm', question: '?', onYes: () => void yes++ }, 'y')).toBe('closed');
    expect(yes).toBe(1);
  });
});

describe('width', () => {
  it('fits text to exactly the width, wide characters counting two', async () => {
    expect(fitWidth('abc', 5)).toBe('abc  ');
    expect(fitWidth('abcdef', 4)).toBe('abc…');
    expect(fitWidth('日本語', 5)).toBe('日本…');
    expect(displayWidth(fitWidth('日本語x', 6))).toBe(6);
  });
});
