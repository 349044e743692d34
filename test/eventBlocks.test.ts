/**
 * Events stored in blocks (src/store/sqlite/eventBlockTable.ts): every window read, filter and seek answers
 * exactly what a plain list of the events would, across block boundaries and whatever the batch sizes were;
 * small batches end up merged; the summary columns never hide a matching event.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import type { EventLevel } from '../src/events/levels.js';
import { newRunId, type EventFilter, type RunStore } from '../src/store/runStore.js';
import { textDeltaPayloadOf, type EventToStore } from '../src/events/storedEvent.js';
import { SqliteEngine } from '../src/store/sqlite/sqliteEngine.js';
import type { StoredEvent } from '../src/store/types.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();
/** A plain text delta's payload, as the SDK's event serializes. */
const textDeltaPayload = (delta: string) => textDeltaPayloadOf(JSON.stringify(delta));

const LEVELS: EventLevel[] = ['raw', 'raw', 'raw', 'item', 'agent'];
const NAMES = ['output_text_delta', 'message_output_created', 'tool_called', 'name\nwith a newline', 'naïve ✓'];
const AGENTS = ['Triage Agent', 'Billing Agent', 'agent\nwith a newline', 'Ünïcode 🤖'];

/**
 * Events with every kind of value a block must keep: repeated and odd names, null agents, unicode payloads, equal
 * and jumping times. Stretches differ in what they hold (deltas only from seq 1000 to 3000, no agent events from 3000
 * to 3600, an agent per 1024 events), so block summaries differ and a filter skips some blocks, never a match.
 */
function makeEvents(count: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let tUs = 0;
  for (let seq = 0; seq < count; seq++) {
    tUs += seq % 7 === 0 ? 0 : seq % 97 === 0 ? 5_000_000 : 13;
    const text = ['plain', 'MiXeD Case Needle', '🤖 astral', 'line\u2028separator', 'ünïcödé needle'][seq % 5]!;
    events.push({
      seq,
      tUs,
      level: seq >= 1000 && seq < 3000 ? 'raw' : seq >= 3000 && seq < 3600 ? (['raw', 'item'] as const)[seq % 2]! : LEVELS[seq % LEVELS.length]!,
      name: seq >= 1000 && seq < 3000 ? 'output_text_delta' : NAMES[(seq * 7) % NAMES.length]!,
      agent: seq % 11 === 0 ? null : AGENTS[(seq >> 10) % AGENTS.length]!,
      payload: JSON.stringify({ type: 'raw_model_stream_event', seq, data: { delta: `${text} ${seq}` } }),
    });
  }
  return events;
}

/** What a window read must return, from the plain list. */
function expectedWindow(events: StoredEvent[], fromSeq: number, limit: number, backward: boolean, filter: EventFilter = {}): StoredEvent[] {
  const passes = (e: StoredEvent) =>
    (!filter.levels || filter.levels.includes(e.level)) &&
    (!filter.names || filter.names.includes(e.name)) &&
    (!filter.agents || (e.agent !== null && filter.agents.includes(e.agent))) &&
    (filter.text === undefined || e.payload.replace(/[A-Z]/g, (c) => c.toLowerCase()).includes(filter.text.replace(/[A-Z]/g, (c) => c.toLowerCase())));
  const inRange = events.filter((e) => (backward ? e.seq <= fromSeq : e.seq >= fromSeq) && passes(e));
  return (backward ? inRange.reverse() : inRange).slice(0, limit);
}

async function storeRun(store: RunStore, events: StoredEvent[], batchSizes: number[]): Promise<string> {
  const id = newRunId();
  await store.createRun({ id, name: 'blocks', startedAt: Date.now(), startingAgent: 'Triage Agent', input: 'hi', sdkVersion: null, tags: [], metadata: {}, agents: [] });
  for (let at = 0, i = 0; at < events.length; i++) {
    const size = batchSizes[i % batchSizes.length]!;
    await store.appendEvents(id, events.slice(at, at + size));
    at += size;
  }
  return id;
}

function blockCounts(path: string): number[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT count FROM event_blocks ORDER BY run_pk, first_seq`).pluck().all() as number[];
  } finally {
    db.close();
  }
}

describe('events in blocks', () => {
  it('answers every window, filter and seek as the plain list of events does, whatever the batches were', async () => {
    const path = join(tempDir(), 'blocks.db');
    const store = await openStore(path);
    const events = makeEvents(9000);
    // Full batches, small ones that get merged, one larger than a block, odd sizes.
    const id = await storeRun(store, events, [512, 3, 40, 1, 600, 77, 512, 512, 512, 512, 5000]);
    await store.finishRun(id, { status: 'completed', durationUs: 1, lastAgent: null, finalOutput: null, error: null, usage: null });

    expect((await store.getRun(id))!.eventCount).toBe(events.length);
    expect(await store.lastSeq(id)).toBe(events.length - 1);
    const all: StoredEvent[] = [];
    for await (const e of store.iterateEvents(id, { windowSize: 333 })) all.push(e);
    expect(all).toEqual(events);

    const filters: EventFilter[] = [
      {},
      { levels: ['item'] },
      { levels: ['agent', 'item'] },
      { levels: [] },
      { names: ['name\nwith a newline'] },
      { names: ['with a newline'] },
      { names: ['naïve ✓', 'tool_called'], levels: ['raw'] },
      { agents: ['Ünïcode 🤖'] },
      { agents: ['agent\nwith a newline', 'Billing Agent'] },
      { agents: [] },
      { text: 'needle' },
      { text: 'NEEDLE 59' },
      { text: 'ÜNÏCÖDÉ' },
      { text: '🤖 astral 4' },
      { text: '' },
      { text: 'needle', agents: ['Triage Agent'], levels: ['raw'] },
    ];
    for (const filter of filters) {
      for (const fromSeq of [-5, 0, 511, 512, 513, 2047, 3100, 4999, 8999, 10_000]) {
        for (const backward of [false, true]) {
          for (const limit of [1, 50, 4000]) {
            const got = await store.readEvents(id, { fromSeq, limit, backward, filter });
            expect(got, JSON.stringify({ filter, fromSeq, backward, limit })).toEqual(expectedWindow(events, fromSeq, limit, backward, filter));
          }
        }
      }
    }

    for (const probe of [-1, 0, 1, events[700]!.tUs, events[700]!.tUs + 1, events[8123]!.tUs, events.at(-1)!.tUs]) {
      expect(await store.seqAtTime(id, probe), `t ${probe}`).toBe(events.find((e) => e.tUs >= probe)?.seq);
    }
    expect(await store.seqAtTime(id, events.at(-1)!.tUs + 1)).toBeUndefined();
    await store.close();
  });

  it('merges small batches into larger blocks, and never a full batch', async () => {
    const path = join(tempDir(), 'merge.db');
    const store = await openStore(path);
    const events = makeEvents(3000);
    // 2 × 512, then 100 batches of 10 (merged whenever they reach 512 events), then a run end mid-way through small ones.
    const id = await storeRun(store, events.slice(0, 2024), [512, 512, ...Array<number>(100).fill(10)]);
    await store.appendEvents(id, events.slice(2024, 2030));
    await store.appendEvents(id, events.slice(2030, 2040));
    await store.finishRun(id, { status: 'completed', durationUs: 1, lastAgent: null, finalOutput: null, error: null, usage: null });
    const other = await storeRun(store, events.slice(0, 30), [1]);
    await store.close();

    // 512, 512, 52 batches of 10 merged (520), 48 of 10 + 6 + 10 merged at the end (496); the other run: 30 single events, unfinished.
    expect(blockCounts(path)).toEqual([512, 512, 520, 496, ...Array<number>(30).fill(1)]);
    const reopened = await openStore(path, { readonly: true });
    expect(await reopened.readEvents(id, { fromSeq: 0, limit: 5000 })).toEqual(events.slice(0, 2040));
    expect(await reopened.readEvents(other, { fromSeq: 29, limit: 100, backward: true })).toEqual(events.slice(0, 30).reverse());
    await reopened.close();
  });

  it('imports a run into full blocks, and deletes a run with all its blocks', async () => {
    const path = join(tempDir(), 'import.db');
    const store = await openStore(path);
    const events = makeEvents(9000);
    const id = await storeRun(store, events.slice(0, 10), [10]);
    const run = (await store.getRun(id))!;
    expect(await store.readEvents(id, { fromSeq: 0, limit: 5 })).toEqual(events.slice(0, 5));
    await store.deleteRun(id);
    expect(blockCounts(path)).toEqual([]);
    async function* source() {
      yield* events;
    }
    await store.importRun({ ...run, eventCount: 0 }, [], source());
    expect(blockCounts(path)).toEqual([...Array<number>(17).fill(512), 296]);
    expect(await store.readEvents(id, { fromSeq: 4090, limit: 20 })).toEqual(events.slice(4090, 4110));
    await store.close();
  });

  it('stores a plain text delta as its text alone and reads it back as its payload, byte for byte', async () => {
    const path = join(tempDir(), 'deltas.db');
    const engine = SqliteEngine.open(path);
    const id = newRunId();
    engine.createRun({ id, name: 'deltas', startedAt: Date.now(), startingAgent: 'A', input: 'hi', sdkVersion: null, tags: [], metadata: {}, agents: [] });
    const raw = (seq: number, payload: string): StoredEvent => ({ seq, tUs: seq * 10, level: 'raw', name: 'output_text_delta', agent: 'A', payload });
    const delta = (seq: number, text: string): EventToStore => ({ seq, tUs: seq * 10, level: 'raw', name: 'output_text_delta', agent: 'A', payload: null, delta: text });
    const written: EventToStore[] = [
      // As the writer thread hands them over: the text alone, whatever it holds.
      delta(0, 'Hello'),
      delta(1, ' "quoted" \\ back\nslash\u0001 🤖 \u2028'),
      delta(2, ''),
      // Lone surrogates, which UTF-8 cannot carry.
      delta(3, 'half \ud800 a pair and \udc00 the other half'),
      // As an import brings them: payloads, some of which are plain deltas and some not quite.
      raw(4, textDeltaPayload(' world')),
      raw(5, '{"data":{"type":"output_text_delta","delta":"\\u0041"},"type":"raw_model_stream_event"}'),
      raw(6, '{"data":{"type":"output_text_delta","delta":"x","itemId":"msg_1"},"type":"raw_model_stream_event"}'),
      raw(7, '{"data":{"type":"output_text_delta","delta":"y"},"type":"raw_model_stream_event","source":"openai"}'),
      { seq: 8, tUs: 80, level: 'item', name: 'message_output_created', agent: 'A', payload: '{"name":"message_output_created"}' },
    ];
    // Two small batches, merged into one block as the run ends: a delta goes from block to block as its text.
    engine.writeTransaction(() => engine.appendEvents(id, written.slice(0, 4)));
    engine.writeTransaction(() => engine.appendEvents(id, written.slice(4)));
    engine.finishRun(id, { status: 'completed', durationUs: 90, lastAgent: 'A', finalOutput: null, error: null, usage: null });
    engine.close();

    const expected = written.map((e): StoredEvent => (e.payload === null ? { ...e, payload: textDeltaPayload(e.delta) } : e)).map(({ seq, tUs, level, name, agent, payload }) => ({ seq, tUs, level, name, agent, payload }));
    const store = await openStore(path, { readonly: true });
    expect(await store.readEvents(id, { fromSeq: 0, limit: 100 })).toEqual(expected);
    await store.close();

    // Inside the block: the deltas' texts, not their payloads; a payload that is not exactly a plain delta's, whole.
    const db = new Database(path, { readonly: true });
    const blocks = db.prepare(`SELECT codec, data FROM event_blocks`).all() as { codec: number; data: Buffer }[];
    db.close();
    expect(blocks).toHaveLength(1);
    const { codec, data } = blocks[0]!;
    const packed = brotliDecompressSync(data).toString('utf8');
    expect(codec).toBe(3);
    expect(packed.split('"output_text_delta","delta":').length - 1).toBe(3);
    // The deltas' texts as they are, side by side; the one with lone surrogates as its JSON string.
    expect(packed).toContain(`Hello "quoted" \\ back\nslash\u0001 🤖 \u2028`);
    expect(packed).toContain(JSON.stringify('half \ud800 a pair and \udc00 the other half'));
    expect(packed).toContain(' world');
  });

  it.each([1, 2] as const)('reads the blocks earlier releases wrote (codec %i)', async (codec) => {
    const path = join(tempDir(), `codec${codec}.db`);
    const engine = SqliteEngine.open(path);
    const id = newRunId();
    engine.createRun({ id, name: 'old', startedAt: Date.now(), startingAgent: 'A', input: 'hi', sdkVersion: null, tags: [], metadata: {}, agents: [] });
    engine.close();
    const events = makeEvents(40).map((e, i) => (i % 3 === 0 ? { ...e, level: 'raw' as const, name: 'output_text_delta', payload: textDeltaPayload(`d${i}`) } : e));
    const db = new Database(path);
    const pk = (db.prepare(`SELECT pk FROM runs WHERE id = ?`).get(id) as { pk: number }).pk;
    db.prepare(`INSERT INTO event_blocks (run_pk, first_seq, last_seq, first_t_us, last_t_us, count, levels, names, agents, codec, data) VALUES (?, ?, ?, ?, ?, ?, 15, ?, ?, ?, ?)`).run(
      pk, events[0]!.seq, events.at(-1)!.seq, events[0]!.tUs, events.at(-1)!.tUs, events.length, `\n${[...new Set(events.map((e) => e.name))].join('\n')}\n`, `\n${AGENTS.join('\n')}\n`, codec, packedBlock(events, codec),
    );
    db.close();
    const store = await openStore(path, { readonly: true });
    expect(await store.readEvents(id, { fromSeq: 0, limit: 100 })).toEqual(events);
    await store.close();
  });
});

/**
 * A block as earlier releases packed it (eventBlock.ts): codec 1 (runtape 0.1) with no column of payload forms,
 * codec 2 with a plain text delta's text as its JSON string (form 1).
 */
function packedBlock(events: StoredEvent[], codec: 1 | 2): Buffer {
  const bytes: number[] = [];
  const uint = (v: number) => {
    for (; v >= 0x80; v = Math.floor(v / 0x80)) bytes.push((v % 0x80) | 0x80);
    bytes.push(v);
  };
  const strings = (values: string[]) => {
    uint(values.length);
    for (const value of values) {
      const utf8 = Buffer.from(value);
      uint(utf8.length);
      bytes.push(...utf8);
    }
  };
  const levels = [...new Set(events.map((e) => e.level))];
  const names = [...new Set(events.map((e) => e.name))];
  const agents = [...new Set(events.flatMap((e) => (e.agent === null ? [] : [e.agent])))];
  uint(events.length);
  strings(levels);
  strings(names);
  strings(agents);
  events.forEach((e, i) => uint(e.seq - (i === 0 ? e.seq : events[i - 1]!.seq)));
  events.forEach((e, i) => uint(2 * (e.tUs - (i === 0 ? 0 : events[i - 1]!.tUs))));
  for (const e of events) uint(levels.indexOf(e.level));
  for (const e of events) uint(names.indexOf(e.name));
  for (const e of events) uint(e.agent === null ? 0 : agents.indexOf(e.agent) + 1);
  const [head, tail] = textDeltaPayload('').split('""') as [string, string];
  const literalOf = (payload: string) => (codec === 2 && payload.startsWith(head) && payload.endsWith(tail) ? payload.slice(head.length, -tail.length) : undefined);
  const stored = events.map((e) => literalOf(e.payload) ?? e.payload);
  if (codec === 2) for (const e of events) uint(literalOf(e.payload) === undefined ? 0 : 1);
  for (const text of stored) uint(text.length);
  bytes.push(...Buffer.from(stored.join('')));
  return brotliCompressSync(Buffer.from(bytes));
}
