import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import { RuntapeError } from '../../errors.js';
import { EVENT_LEVELS, type EventLevel } from '../../events/levels.js';
import { JoinedText, type TextSource } from '../../events/joinedText.js';
import { textDeltaPayloadOf, textStartOf, type EventColumnsToStore, type EventToStore } from '../../events/storedEvent.js';
import type { StoredEvent } from '../types.js';

/**
 * One block of a run's events, as stored in an `event_blocks` row: the events (seq, t_us, level, name, agent,
 * payload) packed column by column and compressed, plus the summary the row keeps outside the blob so a
 * filter can skip blocks that cannot match without inflating them.
 *
 * Packed layout (before compression), all integers unsigned LEB128 varints unless said otherwise:
 *   count
 *   levels: n, then n × (utf-8 byte length, bytes)    -- the block's distinct levels, by first appearance
 *   names: n, then n × (utf-8 byte length, bytes)     -- the block's distinct names, likewise
 *   agents: n, then n × (utf-8 byte length, bytes)    -- the block's distinct agents; index 0 means no agent
 *   count × seq - previous seq (the first against the row's first_seq)
 *   count × zigzag(t_us - previous t_us) (the first against 0)
 *   count × level index
 *   count × name index
 *   count × agent index (0 = null, i + 1 = agents[i])
 *   count × payload form (codec 2 and 3): 0 the payload; a plain text delta (its payload is
 *           textDeltaPayloadOf(JSON.stringify(text)): most of a streamed run's events) as 1 its text as a JSON
 *           string, or 2 (codec 3) its text itself, which the writer takes from its batch without a copy
 *   count × payload length in UTF-16 code units
 *   the payloads, concatenated, as utf-8
 * Columns of small similar numbers, then the JSON texts side by side, is what compresses best.
 * Payload lengths count UTF-16 units so the whole payload text is encoded and decoded in one call each way.
 */

/** How the packed bytes are laid out and compressed: the row's `codec` column, so the choice can change and old rows still read. */
export const CODEC_BROTLI = 1;
/** CODEC_BROTLI with the column of payload forms. */
export const CODEC_BROTLI_FORMS = 2;
/** CODEC_BROTLI_FORMS with a plain text delta's text as it is (FORM_TEXT). */
export const CODEC_BROTLI_TEXT = 3;
const FORM_PAYLOAD = 0;
const FORM_TEXT_LITERAL = 1;
const FORM_TEXT = 2;

/**
 * Brotli at quality 1. Measured on 512-event batches of demo payloads (2-core machine, noisy): brotli q0-q1
 * compress at ~0.2-0.6 µs/event to 9% of the JSON, deflateRaw level 1-2 at ~0.5-1.0 µs/event to the same 9%,
 * brotli q2 and deflate 6 gain 1 point for 2-3x the time. The writer thread's budget decides; inflating is
 * ~0.3-0.5 µs/event either way, paid once per block thanks to the engine's cache of decoded blocks.
 * The window is the smallest that holds the whole block, up to the default 4 MB one, so a block compresses
 * exactly as it would with the default, and its compressor allocates no more window than the block needs:
 * measured in separate processes, 24-28 µs for a block of 512 deltas (6 KB packed) against 29-30 µs.
 */
const compress = (packed: Buffer) =>
  brotliCompressSync(packed, {
    params: {
      [zlib.BROTLI_PARAM_QUALITY]: 1,
      [zlib.BROTLI_PARAM_SIZE_HINT]: packed.length,
      [zlib.BROTLI_PARAM_LGWIN]: Math.min(zlib.BROTLI_DEFAULT_WINDOW, Math.max(zlib.BROTLI_MIN_WINDOW_BITS, Math.ceil(Math.log2(packed.length + 16)))),
    },
  });

export interface EncodedBlock {
  firstSeq: number;
  lastSeq: number;
  firstTUs: number;
  lastTUs: number;
  count: number;
  /** Bitmask of the levels present: bit i for EVENT_LEVELS[i] (bit 3 for any other, which no filter asks for). */
  levels: number;
  /** The distinct names, each between newlines ("\na\nb\n"), so `instr(names, char(10) || ? || char(10))` finds one. */
  names: string;
  /** The distinct agents, likewise ("" when no event has an agent). */
  agents: string;
  codec: number;
  data: Buffer;
}

export function levelBit(level: string): number {
  const i = (EVENT_LEVELS as readonly string[]).indexOf(level);
  return 1 << (i < 0 ? EVENT_LEVELS.length : i);
}

/** The summary-column form of a list of distinct strings. */
function summaryList(values: readonly string[]): string {
  return values.length === 0 ? '' : `\n${values.join('\n')}\n`;
}

/** Packs and compresses events `from` to `to` (in seq order, at least one) into one block. */
export function encodeBlock(events: EventColumnsToStore, from = 0, to = events.length): EncodedBlock {
  const count = to - from;
  const levelNames = new Dictionary();
  const names = new Dictionary();
  const agents = new Dictionary();
  const out = new VarintWriter(count * 8 + 64);
  const levelIndex = new Uint32Array(count);
  const nameIndex = new Uint32Array(count);
  const agentIndex = new Uint32Array(count);
  for (let i = from; i < to; i++) {
    checkOrder(events, i, from);
    levelIndex[i - from] = levelNames.indexOf(events.levels[i]!);
    nameIndex[i - from] = names.indexOf(events.names[i]!);
    const agent = events.agents[i]!;
    agentIndex[i - from] = agent === null ? 0 : agents.indexOf(agent) + 1;
  }
  let levels = 0;
  for (const level of levelNames.values) levels |= levelBit(level);
  let stored = storedPayloads(events, from, to, false);
  // A lone surrogate does not survive UTF-8: such a delta is stored as its JSON string instead.
  if (!stored.text.isWellFormed()) stored = storedPayloads(events, from, to, true);
  out.uint(count);
  levelNames.writeTo(out);
  names.writeTo(out);
  agents.writeTo(out);
  let prevSeq = events.seqs[from]!;
  for (let i = from; i < to; i++) {
    const seq = events.seqs[i]!;
    out.uint(seq - prevSeq);
    prevSeq = seq;
  }
  let prevT = 0;
  for (let i = from; i < to; i++) {
    const t = events.tUs[i]!;
    out.int(t - prevT);
    prevT = t;
  }
  for (let i = 0; i < count; i++) out.uint(levelIndex[i]!);
  for (let i = 0; i < count; i++) out.uint(nameIndex[i]!);
  for (let i = 0; i < count; i++) out.uint(agentIndex[i]!);
  for (let i = 0; i < count; i++) out.uint(stored.forms[i]!);
  for (let i = 0; i < count; i++) out.uint(stored.lengths[i]!);
  out.text(stored.text);
  const packed = out.bytes();
  return {
    firstSeq: events.seqs[from]!,
    lastSeq: events.seqs[to - 1]!,
    firstTUs: events.tUs[from]!,
    lastTUs: events.tUs[to - 1]!,
    count,
    levels,
    names: summaryList(names.values),
    agents: summaryList(agents.values),
    codec: CODEC_BROTLI_TEXT,
    data: compress(packed),
  };
}

/**
 * The stored payloads of events `from` to `to`: each one's form and length, and their texts side by side. A run
 * of text deltas is one piece of the events' text, taken as it is (`literals`: each ill-formed delta, one with
 * a lone surrogate, as its JSON string).
 */
function storedPayloads(events: EventColumnsToStore, from: number, to: number, literals: boolean): { forms: Uint8Array; lengths: Uint32Array; text: string } {
  const forms = new Uint8Array(to - from);
  const lengths = new Uint32Array(to - from);
  const source: TextSource = { text: events.text };
  const text = new JoinedText();
  for (let i = from; i < to; i++) {
    const payload = events.payloads[i]!;
    const start = text.length;
    if (payload !== null) {
      text.add(payload);
      forms[i - from] = FORM_PAYLOAD;
    } else {
      const deltaStart = textStartOf(events, i);
      const deltaEnd = events.textEnds[i]!;
      const delta = literals ? events.text.slice(deltaStart, deltaEnd) : '';
      const literal = literals && !delta.isWellFormed();
      if (literal) text.add(JSON.stringify(delta));
      else text.addPiece(source, deltaStart, deltaEnd);
      forms[i - from] = literal ? FORM_TEXT_LITERAL : FORM_TEXT;
    }
    lengths[i - from] = text.length - start;
  }
  return { forms, lengths, text: text.toString() };
}

/** The events of a stored block, in seq order. */
export function decodeBlock(firstSeq: number, codec: number, data: Uint8Array): StoredEvent[] {
  const { count, seqs, times, levels, names, agents, forms, lengths, text } = readBlock(firstSeq, codec, data);
  const events = new Array<StoredEvent>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const stored = text.slice(at, (at += lengths[i]!));
    const form = forms[i];
    const payload = form === FORM_PAYLOAD ? stored : textDeltaPayloadOf(form === FORM_TEXT ? JSON.stringify(stored) : stored);
    events[i] = { seq: seqs[i]!, tUs: times[i]!, level: levels[i]!, name: names[i]!, agent: agents[i]!, payload };
  }
  return events;
}

/**
 * The events of a stored block as a store takes them, a plain text delta as its text (merging small blocks: a
 * delta is not made into its payload to be taken apart again).
 */
export function decodeBlockToStore(firstSeq: number, codec: number, data: Uint8Array): EventToStore[] {
  const { count, seqs, times, levels, names, agents, forms, lengths, text } = readBlock(firstSeq, codec, data);
  const events = new Array<EventToStore>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const stored = text.slice(at, (at += lengths[i]!));
    const form = forms[i];
    // One shape for every event (an unused delta on a payload's): objects of two shapes, spread from one, made a
    // merge of 506 deltas take 1.4 ms, where the payload round trip this replaces took 0.5 and this takes 0.24.
    events[i] = {
      seq: seqs[i]!,
      tUs: times[i]!,
      level: levels[i]!,
      name: names[i]!,
      agent: agents[i]!,
      payload: form === FORM_PAYLOAD ? stored : null,
      delta: form === FORM_TEXT ? stored : form === FORM_TEXT_LITERAL ? (JSON.parse(stored) as string) : '',
    } as EventToStore;
  }
  return events;
}

/** A block's columns, unpacked: each event's stored text is its payload, or a plain text delta's text (`forms`). */
interface BlockColumns {
  count: number;
  seqs: number[];
  times: number[];
  levels: EventLevel[];
  names: string[];
  agents: (string | null)[];
  forms: Uint8Array;
  lengths: number[];
  text: string;
}

function readBlock(firstSeq: number, codec: number, data: Uint8Array): BlockColumns {
  if (codec !== CODEC_BROTLI && codec !== CODEC_BROTLI_FORMS && codec !== CODEC_BROTLI_TEXT) throw new RuntapeError(`event block at seq ${firstSeq} uses codec ${codec}, which this runtape cannot read; upgrade runtape`);
  const packed = brotliDecompressSync(data);
  const r = new VarintReader(packed);
  const count = r.uint();
  const levelNames = r.strings() as EventLevel[];
  const names = r.strings();
  const agents = r.strings();
  const seqs = new Array<number>(count);
  const times = new Array<number>(count);
  let seq = firstSeq;
  for (let i = 0; i < count; i++) seqs[i] = seq += r.uint();
  let t = 0;
  for (let i = 0; i < count; i++) times[i] = t += r.int();
  const levels = new Array<EventLevel>(count);
  for (let i = 0; i < count; i++) levels[i] = levelNames[r.uint()]!;
  const nameOf = new Array<string>(count);
  for (let i = 0; i < count; i++) nameOf[i] = names[r.uint()]!;
  const agentOf = new Array<string | null>(count);
  for (let i = 0; i < count; i++) {
    const a = r.uint();
    agentOf[i] = a === 0 ? null : agents[a - 1]!;
  }
  const forms = new Uint8Array(count);
  if (codec !== CODEC_BROTLI) {
    const lastForm = codec === CODEC_BROTLI_FORMS ? FORM_TEXT_LITERAL : FORM_TEXT;
    for (let i = 0; i < count; i++) if ((forms[i] = r.uint()) > lastForm) throw new RuntapeError('an event block holds an unknown payload form (the database is damaged)');
  }
  const lengths = new Array<number>(count);
  for (let i = 0; i < count; i++) lengths[i] = r.uint();
  return { count, seqs, times, levels, names: nameOf, agents: agentOf, forms, lengths, text: packed.toString('utf8', r.offset) };
}

/**
 * A block holds whole-number seqs, increasing, and whole-number offsets: anything else (a damaged row of an old
 * database being migrated) is refused with the transaction, never rounded or reordered.
 */
function checkOrder(events: EventColumnsToStore, i: number, from: number): void {
  const seq = events.seqs[i]!;
  if (!Number.isSafeInteger(seq) || (i > from && seq <= events.seqs[i - 1]!)) {
    throw new RuntapeError(`cannot store event seq ${seq} in an event block: seqs are whole numbers, increasing`);
  }
  const tUs = events.tUs[i]!;
  if (!Number.isSafeInteger(tUs)) throw new RuntapeError(`cannot store event ${seq} in an event block: its time offset ${tUs} is not a whole number`);
}

/** Distinct strings in order of first appearance, each with its index. */
class Dictionary {
  readonly values: string[] = [];
  readonly #index = new Map<string, number>();
  /** The last value asked for and its index: a run of deltas asks for the same ones again and again. */
  #last: string | undefined;
  #lastIndex = 0;

  indexOf(value: string): number {
    if (value === this.#last) return this.#lastIndex;
    this.#last = value;
    return (this.#lastIndex = this.#lookUp(value));
  }

  #lookUp(value: string): number {
    let i = this.#index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.#index.set(value, i);
    }
    return i;
  }

  writeTo(out: VarintWriter): void {
    out.uint(this.values.length);
    for (const value of this.values) out.string(value);
  }
}

class VarintWriter {
  #buf: Buffer;
  #at = 0;

  constructor(capacity: number) {
    this.#buf = Buffer.allocUnsafe(capacity);
  }

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#at + bytes));
    this.#buf.copy(grown, 0, 0, this.#at);
    this.#buf = grown;
  }

  /** A non-negative safe integer. */
  uint(value: number): void {
    this.#room(8);
    let v = value;
    while (v >= 0x80) {
      this.#buf[this.#at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#buf[this.#at++] = v;
  }

  /** Any safe integer, zigzag-encoded so small negative numbers stay small. */
  int(value: number): void {
    this.uint(value < 0 ? -2 * value - 1 : 2 * value);
  }

  /** A string with its byte length first. */
  string(value: string): void {
    const bytes = Buffer.byteLength(value, 'utf8');
    this.uint(bytes);
    this.#room(bytes);
    this.#at += this.#buf.write(value, this.#at, 'utf8');
  }

  /** A string as UTF-8 up to the end: room for the worst case (3 bytes per UTF-16 unit) saves measuring it first. */
  text(value: string): void {
    this.#room(value.length * 3);
    this.#at += this.#buf.write(value, this.#at, 'utf8');
  }

  bytes(): Buffer {
    return this.#buf.subarray(0, this.#at);
  }
}

class VarintReader {
  offset = 0;

  constructor(private readonly buf: Buffer) {}

  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.offset >= this.buf.length) throw new RuntapeError('an event block is truncated (the database is damaged)');
      const byte = this.buf[this.offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }

  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  strings(): string[] {
    const n = this.uint();
    const values: string[] = [];
    for (let i = 0; i < n; i++) {
      const bytes = this.uint();
      values.push(this.buf.toString('utf8', this.offset, (this.offset += bytes)));
    }
    return values;
  }
}
