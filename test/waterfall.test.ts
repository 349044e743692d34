/**
 * The waterfall's row model: rows derived from a real run's stream events (the SDK's runner, a scripted model),
 * the same from the name-filtered windows the inspector reads, captures attached where they match, gaps placed.
 */
import { Agent } from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIRST_TOKEN_NAMES, WATERFALL_EVENT_NAMES, neighbourRow, rowAt, waterfallRows, type WaterfallRow } from '../src/analysis/waterfall.js';
import type { HandoffCaptureRecord, ModelCallRecord } from '../src/capture/types.js';
import { RecordingRunner, openStore, recordedRunId, recordingStored } from '../src/index.js';
import type { RunStore } from '../src/store/runStore.js';
import type { StoredEvent } from '../src/store/types.js';
import { AgentColours } from '../src/tui/views/agentColours.js';
import { plainOf } from '../src/tui/views/styled.js';
import { waterfallView } from '../src/tui/views/waterfall.js';
import { waterfallDetail } from '../src/tui/views/waterfallDetail.js';
import { displayWidth } from '../src/tui/views/width.js';
import { textTurn, twoAgentRun } from './support/scriptedTurns.js';
import { storeSyntheticRun } from './support/syntheticRun.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();

async function recordTwoAgentRun(store: RunStore): Promise<string> {
  const { triage } = twoAgentRun();
  const result = await new RecordingRunner({ tracingDisabled: true }, { db: store, name: 'two agents' }).run(triage, 'weather in Paris?', { stream: true });
  await result.completed;
  await recordingStored(result);
  return recordedRunId(result)!;
}

async function allEvents(store: RunStore, runId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.iterateEvents(runId)) events.push(event);
  return events;
}

const shape = (rows: WaterfallRow[]) => rows.map((r) => `${'  '.repeat(r.depth)}${r.kind} ${r.label}`);

describe('waterfall rows', () => {
  it('derives agent spans, model calls, tool calls and handoffs from a real run, in time order', async () => {
    const store = await openStore(join(tempDir(), 'runs.db'));
    const runId = await recordTwoAgentRun(store);
    const events = await allEvents(store, runId);
    const rows = waterfallRows(events);
    expect(shape(rows)).toEqual([
      'agent Triage',
      '  model call 1',
      '  handoff Triage → Weather Agent',
      'agent Weather Agent',
      '  model call 2',
      '  tool get_weather',
      '  model call 3',
    ]);
    const seqOf = (name: string, nth = 0) => events.filter((e) => e.name === name)[nth]!;
    // Each row spans the events that opened and closed it.
    const [triage, call1, handoff, weather, call2, tool, call3] = rows as [WaterfallRow, WaterfallRow, WaterfallRow, WaterfallRow, WaterfallRow, WaterfallRow, WaterfallRow];
    expect([call1.seq, call1.endSeq]).toEqual([seqOf('response_started').seq, seqOf('response_done').seq]);
    expect([tool.seq, tool.endSeq]).toEqual([seqOf('tool_called').seq, seqOf('tool_output').seq]);
    expect(tool).toMatchObject({ callId: 'call_weather_1', arguments: '{"city":"Paris"}', output: 'Paris: 18°C, sunny', agent: 'Weather Agent' });
    expect(handoff).toMatchObject({ callId: 'call_handoff_1', toolName: 'transfer_to_Weather_Agent', seq: seqOf('handoff_requested').seq, endSeq: seqOf('handoff_occurred').seq });
    expect(triage.endSeq).toBe(weather.seq);
    // The last agent's span is not closed by any event: it reaches the run's end.
    expect(weather.endUs).toBeNull();
    // Only the call that streamed text has a first token: its first delta.
    expect([call1.firstTokenUs, call2.firstTokenUs]).toEqual([null, null]);
    expect(call3.firstTokenUs).toBe(seqOf('output_text_delta').tUs);
    expect(call3.call).toBe(3);

    // What the inspector reads (the waterfall's names, and each call's first token) gives the same rows.
    const structural = await store.readEvents(runId, { fromSeq: 0, limit: 1000, filter: { names: WATERFALL_EVENT_NAMES } });
    const firstTokens: StoredEvent[] = [];
    for (const started of structural.filter((e) => e.name === 'response_started')) {
      const [first] = await store.readEvents(runId, { fromSeq: started.seq + 1, limit: 1, filter: { names: FIRST_TOKEN_NAMES } });
      if (first) firstTokens.push(first);
    }
    expect(structural.length).toBeLessThan(events.length);
    expect(waterfallRows([...structural, ...firstTokens].sort((a, b) => a.seq - b.seq))).toEqual(rows);

    // The recorder captured each call's request: every call row gets its own, by the events it produced.
    const modelCalls = await store.captures(runId, 'modelCall');
    expect(modelCalls).toHaveLength(3);
    const withRequests = waterfallRows(events, { captures: { modelCalls } }).filter((r) => r.kind === 'model');
    expect(withRequests.map((r) => [r.label, r.modelCall?.call, r.modelCall?.agent])).toEqual([
      ['call 1', 1, 'Triage'],
      ['call 2', 2, 'Weather Agent'],
      ['call 3', 3, 'Weather Agent'],
    ]);
    expect(withRequests[1]!.modelCall!.instructions).toBe('Answer weather questions with the get_weather tool.');
    await store.close();
  });

  it('attaches a captured model call by number and a handoff capture by call id; without them the rows have none', async () => {
    const store = await openStore(join(tempDir(), 'runs.db'));
    const runId = await recordTwoAgentRun(store);
    const events = await allEvents(store, runId);
    const call: ModelCallRecord = {
      call: 2,
      agent: 'Weather Agent',
      model: 'scripted',
      instructions: 'Answer weather questions with the get_weather tool.',
      input: [{ role: 'user', content: 'weather in Paris?' }],
      tools: [{ type: 'function', name: 'get_weather' }],
      handoffs: [],
      settings: {},
      outputType: 'text',
      previousResponseId: null,
      conversationId: null,
      responseId: null,
      usage: null,
      startUs: 0,
      endUs: null,
      ttftUs: null,
      firstSeq: null,
      lastSeq: null,
      attempts: [],
      error: null,
    };
    const handoff: HandoffCaptureRecord = {
      callId: 'call_handoff_1',
      call: 1,
      from: 'Triage',
      to: 'Weather Agent',
      tUs: 0,
      filter: { name: 'removeAllTools', source: 'handoff' },
      before: { inputHistory: 'weather in Paris?', preHandoffItems: [], newItems: [] },
      after: { inputHistory: 'weather in Paris?', preHandoffItems: [], newItems: [] },
    };
    const other: HandoffCaptureRecord = { ...handoff, callId: 'call_elsewhere' };
    const rows = waterfallRows(events, { captures: { modelCalls: [call], handoffs: [other, handoff] } });
    expect(rows.filter((r) => r.modelCall).map((r) => r.label)).toEqual(['call 2']);
    expect(rows.find((r) => r.kind === 'handoff')!.handoff).toBe(handoff);
    expect(waterfallRows(events).some((r) => r.modelCall || r.handoff)).toBe(false);
    await store.close();
  });

  it('places a gap between the events stored around it, a guardrail from its capture, and selects rows by the playhead', async () => {
    const store = await openStore(join(tempDir(), 'runs.db'));
    const runId = await storeSyntheticRun(store, [
      { tUs: 100, level: 'raw', name: 'response_started', agent: 'A' },
      { tUs: 200, level: 'raw', name: 'output_text_delta', agent: 'A' },
      { tUs: 900, level: 'raw', name: 'response_done', agent: 'A' },
      { tUs: 1000, level: 'raw', name: 'response_started', agent: 'A' },
    ]);
    const events = (await allEvents(store, runId)).filter((e) => e.seq !== 2); // #2 was lost
    const rows = waterfallRows(events, {
      gaps: [{ fromSeq: 2, toSeq: 2 }],
      captures: { guardrails: [{ name: 'no_secrets', kind: 'input', agent: 'A', tripwire: true, result: {}, startUs: 50, endUs: 150 }] },
    });
    expect(rows.map((r) => `${r.label} ${r.startUs}–${r.endUs}`)).toEqual([
      'A 0–null',
      'no_secrets (input) 50–150',
      'lost #2 100–900',
      'call 1 100–900',
      'call 2 1000–null',
    ]);
    expect(rows[1]!.failed).toBe(true);
    // The lost delta was the call's first token: none is known.
    expect(rows[3]!.firstTokenUs).toBeNull();

    expect(rowAt(rows, -1)).toBeNull();
    expect(rows[rowAt(rows, 0)!]!.label).toBe('A');
    expect(rows[rowAt(rows, 3)!]!.label).toBe('call 1');
    expect(rows[rowAt(rows, 4)!]!.label).toBe('call 2');
    // Steps go from row to row that an event opened (gaps and captured guardrails have none).
    expect(neighbourRow(rows, 0, 1)!.label).toBe('call 1');
    expect(neighbourRow(rows, 3, 1)!.label).toBe('call 2');
    expect(neighbourRow(rows, 4, 1)).toBeUndefined();
    expect(neighbourRow(rows, 3, -1)!.label).toBe('A');
    expect(neighbourRow(rows, -1, 1)!.label).toBe('A');
    await store.close();
  });
});

describe('waterfall pane', () => {
  const colours = new AgentColours(['A', 'B']);
  const row = (fields: Partial<WaterfallRow> & Pick<WaterfallRow, 'kind' | 'label' | 'startUs' | 'endUs'>): WaterfallRow => ({ seq: null, endSeq: null, depth: 1, agent: 'A', ...fields });

  it('draws lines of exactly the width, bars in proportion to time, the playhead as a column', () => {
    const rows = [
      row({ kind: 'agent', label: 'A', depth: 0, seq: 0, startUs: 0, endUs: null }),
      row({ kind: 'model', label: 'call 1', seq: 1, startUs: 0, endUs: 500_000, firstTokenUs: 250_000 }),
      row({ kind: 'tool', label: 'lookup', seq: 5, startUs: 500_000, endUs: 1_000_000 }),
    ];
    const width = 80;
    const view = waterfallView({ rows, selected: 1, top: 0, clockUs: 750_000, totalUs: 1_000_000, width, height: 10, colours });
    const text = view.lines.map(plainOf);
    expect(text).toHaveLength(4);
    for (const line of text) expect(displayWidth(line)).toBe(width);
    // The bars: 80 - 2 - 24 (label) - 1 - 9 (duration) = 44 cells, one per 1/44 of the run.
    const bar = (line: string) => line.slice(2 + 24 + 1, 2 + 24 + 1 + 44);
    expect(bar(text[1]!)).toBe('━'.repeat(44));
    // The call waits (light) for half its time, then streams; it covers the first half of the run.
    expect(bar(text[2]!)).toBe('░'.repeat(11) + '█'.repeat(11) + ' '.repeat(11) + '│' + ' '.repeat(10));
    expect(bar(text[3]!)).toBe(' '.repeat(22) + '█'.repeat(22));
    expect(text[0]).toContain('▼');
    expect(text[2]).toMatch(/^▶ {3}call 1/);
    expect(text[2]!.trimEnd()).toMatch(/500 ms$/);
    expect(text[1]!.trimEnd()).toMatch(/…$/);
  });

  it('shows only the window of rows that fits, keeping the playhead row in view', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => row({ kind: 'model', label: `call ${i + 1}`, seq: i, startUs: i, endUs: i + 1 }));
    const first = waterfallView({ rows, selected: 500, top: 0, clockUs: 500, totalUs: 1000, width: 60, height: 11, colours });
    expect(first.lines).toHaveLength(11);
    expect(first.lines.map(plainOf).some((l) => l.startsWith('▶   call 501'))).toBe(true);
    // A step back inside the window does not move it; going past its end scrolls it.
    const next = waterfallView({ rows, selected: 498, top: first.top, clockUs: 498, totalUs: 1000, width: 60, height: 11, colours });
    expect(next.top).toBe(first.top);
    expect(waterfallView({ rows, selected: 501, top: first.top, clockUs: 501, totalUs: 1000, width: 60, height: 11, colours }).top).toBe(first.top + 1);
    expect(waterfallView({ rows, selected: 999, top: first.top, clockUs: 999, totalUs: 1000, width: 60, height: 11, colours }).top).toBe(990);
  });

  it('shows a captured request, a handoff filter before and after with removed items marked, and says when nothing was recorded', () => {
    const call: ModelCallRecord = {
      call: 1,
      agent: 'A',
      model: 'gpt-test',
      instructions: 'Be brief.\nAlways \x1b[31mred\x1b[0m.',
      input: [{ role: 'user', content: 'hello there' }, { type: 'function_call', name: 'lookup', arguments: '{"q":1}' }],
      tools: [{ type: 'function', name: 'lookup', description: 'finds \x1b[2J things' }],
      handoffs: [{ toolName: 'transfer_to_B', toolDescription: '', agent: 'B' }],
      settings: { temperature: 0 },
      outputType: 'text',
      previousResponseId: null,
      conversationId: null,
      responseId: 'resp_1',
      usage: null,
      startUs: 0,
      endUs: 10,
      ttftUs: null,
      firstSeq: 1,
      lastSeq: 3,
      attempts: [],
      error: null,
    };
    const model = row({ kind: 'model', label: 'call 1', seq: 1, endSeq: 3, startUs: 0, endUs: 10, firstTokenUs: null });
    const captured = waterfallDetail({ ...model, modelCall: call }, 70).lines.map(plainOf);
    expect(captured).toEqual(expect.arrayContaining(['instructions', 'Be brief.', 'Always ␛[31mred␛[0m.', 'input (2 items)', 'tools (2)']));
    expect(captured.some((l) => l.startsWith('  1 user: hello there'))).toBe(true);
    expect(captured.some((l) => l.startsWith('  2 function_call: lookup({"q":1})'))).toBe(true);
    expect(captured.some((l) => l.startsWith('  lookup  finds ␛[2J things'))).toBe(true);
    expect(captured.some((l) => l.startsWith('  transfer_to_B → B'))).toBe(true);
    expect(waterfallDetail(model, 70).lines.map(plainOf).join('\n')).toContain('no request recorded for this call');

    const handoff = row({ kind: 'handoff', label: 'A → B', seq: 7, endSeq: 8, startUs: 5, endUs: 6, callId: 'c1', toolName: 'transfer_to_B' });
    const capture: HandoffCaptureRecord = {
      callId: 'c1',
      call: 1,
      from: 'A',
      to: 'B',
      tUs: 6,
      filter: { name: 'removeAllTools', source: 'handoff' },
      before: { inputHistory: 'hello there', preHandoffItems: [{ type: 'function_call', name: 'lookup', arguments: '{}' }], newItems: [{ role: 'assistant', content: [{ type: 'output_text', text: 'over to B' }] }] },
      after: { inputHistory: 'hello there', preHandoffItems: [], newItems: [{ role: 'assistant', content: [{ type: 'output_text', text: 'over to B' }] }] },
    };
    const sides = waterfallDetail({ ...handoff, handoff: capture }, 70).lines.map(plainOf);
    const columns = sides.filter((l) => l.includes(' │ '));
    expect(columns[0]).toMatch(/^before \(3, 1 removed\) +│ after \(2\)/);
    expect(columns[1]).toMatch(/^ {2}user: hello there +│ {3}user: hello there/);
    expect(columns[2]).toMatch(/^✗ function_call: lookup\(\{\}\) +│ {3}assistant: over to B/);
    expect(columns[3]).toMatch(/^ {2}assistant: over to B +│ $/);
    expect(sides).toContain('filter removeAllTools  (the handoff\'s own)');
    expect(waterfallDetail(handoff, 70).lines.map(plainOf).join('\n')).toContain('no request recorded for this handoff');
  });
});

describe('a guardrail known from the stream alone', () => {
  it('is the tripwire error that ended the run: a row at its end, unless the guardrail was captured', async () => {
    const store = await openStore(join(tempDir(), 'runs.db'));
    const agent = new Agent({
      name: 'Guarded',
      instructions: 'Answer.',
      model: new ScriptedModel([textTurn('never sent')]),
      inputGuardrails: [{ name: 'no_secrets', execute: async () => ({ tripwireTriggered: true, outputInfo: { found: 'a key' } }) }],
    });
    const result = await new RecordingRunner({ tracingDisabled: true }, { db: store, name: 'guarded' }).run(agent, 'my key is sk-123', { stream: true });
    await result.completed.catch(() => {});
    await recordingStored(result);
    const run = (await store.getRun(recordedRunId(result)!))!;
    expect(run.error?.name).toBe('InputGuardrailTripwireTriggered');
    const events = await allEvents(store, run.id);
    const rows = waterfallRows(events, { end: run });
    const guardrail = rows.find((r) => r.kind === 'guardrail')!;
    expect(guardrail).toMatchObject({ label: 'tripwire (input)', failed: true, startUs: run.durationUs, note: run.error!.message });
    expect(plainOf(waterfallDetail(guardrail, 60).lines[1]!)).toBe('tripwire: triggered');
    // A captured guardrail says more (its name and result): the error adds no second row.
    const captured = waterfallRows(events, { end: run, captures: { guardrails: [{ name: 'no_secrets', kind: 'input', agent: 'Guarded', tripwire: true, result: {}, startUs: 0, endUs: 1 }] } });
    expect(captured.filter((r) => r.kind === 'guardrail').map((r) => r.label)).toEqual(['no_secrets (input)']);
    // A run that ended otherwise has none.
    expect(waterfallRows(events, { end: { ...run, error: { name: 'Error', message: 'boom' } } }).some((r) => r.kind === 'guardrail')).toBe(false);
    await store.close();
  });
});
