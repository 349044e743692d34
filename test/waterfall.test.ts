/**
 * The waterfall's row model: rows derived from a real run's stream events (the SDK's runner, a scripted model),
 * the same from the name-filtered windows the inspector reads, captures attached where they match, gaps placed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIRST_TOKEN_NAMES, WATERFALL_EVENT_NAMES, neighbourRow, rowAt, waterfallRows, type WaterfallRow } from '../src/analysis/waterfall.js';
import type { HandoffCaptureRecord, ModelCallRecord } from '../src/capture/types.js';
import { RecordingRunner, openStore, recordedRunId, recordingStored } from '../src/index.js';
import type { RunStore } from '../src/store/runStore.js';
import type { StoredEvent } from '../src/store/types.js';
import { twoAgentRun } from './support/scriptedTurns.js';
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
