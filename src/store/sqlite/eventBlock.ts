import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import { RuntapeError } from '../../errors.js';
import { EVENT_LEVELS, type EventLevel } from '../../events/levels.js';
import { textDeltaLiteralOf, textDeltaPayloadOf, type EventToStore } from '../../events/storedEvent.js';
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
 *   count × payload form (codec 2 only): 0 the payload, 1 a plain text delta's text as a JSON string (its
 *           payload is textDeltaPayloadOf(it): most of a streamed run's events, at a tenth of their JSON)
 *   count × payload length in UTF-16 code units
 *   the payloads, concatenated, as utf-8
 * Columns of small similar numbers, then the JSON texts side by side, is what compresses best.
 * Payload lengths count UTF-16 units so the whole payload text is encoded and decoded in one call each way.
 */

/** How the packed bytes are laid out and compressed: the row's `codec` column, so the choice can change and old rows still read. */
export const CODEC_BROTLI = 1;
/** CODEC_BROTLI with the column of payload forms. */
export const CODEC_BROTLI_FORMS = 2;
const FORM_PAYLOAD = 0;
const FORM_TEXT_DELTA = 1;

/**
 * Brotli at quality 1. Measured on 512-event batches of demo payloads (2-core machine, noisy): brotli q0-q1
 * compress at ~0.2-0.6 µs/event to 9% of the JSON, deflateRaw level 1-2 at ~0.5-1.0 µs/event to the same 9%,
 * brotli q2 and deflate 6 gain 1 point for 2-3x the time. The writer thread's budget decides; inflating is
 * ~0.3-0.5 µs/event either way, paid once per block thanks to the engine's cache of decoded blocks.
 */
const compress = (packed: Buffer) =>
  brotliCompressSync(packed, { params: { [zlib.BROTLI_PARAM_QUALITY]: 1, [zlib.BROTLI_PARAM_SIZE_HINT]: packed.length } });

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

/** Packs and compresses `events` (in seq order, at least one) into one block. */
export function encodeBlock(events: readonly EventToStore[]): EncodedBlock {
  const count = events.length;
  const levelNames = new Dictionary();
  const names = new Dictionary();
  const agents = new Dictionary();
  const out = new VarintWriter(count * 8 + 64);
  const levelIndex = new Uint32Array(count);
  const nameIndex = new Uint32Array(count);
  const agentIndex = new Uint32Array(count);
  const forms = new Uint8Array(count);
  const lengths = new Uint32Array(count);
  let levels = 0;
  let payloads = '';
  for (let i = 0; i < count; i++) {
    const e = events[i]!;
    checkOrder(e, i === 0 ? undefined : events[i - 1]!);
    levelIndex[i] = levelNames.indexOf(e.level);
    nameIndex[i] = names.indexOf(e.name);
    agentIndex[i] = e.agent === null ? 0 : agents.indexOf(e.agent) + 1;
    levels |= levelBit(e.level);
    // A delta that comes as a payload (an import, a migration, a merge of blocks) is stored as one too when it is one.
    const delta = e.payload === null ? JSON.stringify(e.delta) : e.name === 'output_text_delta' ? textDeltaLiteralOf(e.payload) : undefined;
    const stored = delta ?? (e.payload as string);
    forms[i] = delta === undefined ? FORM_PAYLOAD : FORM_TEXT_DELTA;
    lengths[i] = stored.length;
    payloads += stored;
  }
  out.uint(count);
  levelNames.writeTo(out);
  names.writeTo(out);
  agents.writeTo(out);
  const first = events[0]!;
  let prevSeq = first.seq;
  let prevT = 0;
  for (let i = 0; i < count; i++) {
    const seq = events[i]!.seq;
    out.uint(seq - prevSeq);
    prevSeq = seq;
  }
  for (let i = 0; i < count; i++) {
    const t = events[i]!.tUs;
    out.int(t - prevT);
    prevT = t;
  }
  for (let i = 0; i < count; i++) out.uint(levelIndex[i]!);
  for (let i = 0; i < count; i++) out.uint(nameIndex[i]!);
  for (let i = 0; i < count; i++) out.uint(agentIndex[i]!);
  for (let i = 0; i < count; i++) out.uint(forms[i]!);
  for (let i = 0; i < count; i++) out.uint(lengths[i]!);
  out.text(payloads);
  const packed = out.bytes();
  const last = events[count - 1]!;
  return {
    firstSeq: first.seq,
    lastSeq: last.seq,
    firstTUs: first.tUs,
    lastTUs: last.tUs,
    count,
    levels,
    names: summaryList(names.values),
    agents: summaryList(agents.values),
    codec: CODEC_BROTLI_FORMS,
    data: compress(packed),
  };
}

/** The events of a stored block, in seq order. */
export function decodeBlock(firstSeq: number, codec: number, data: Uint8Array): StoredEvent[] {
  if (codec !== CODEC_BROTLI && codec !== CODEC_BROTLI_FORMS) throw new RuntapeError(`event block at seq ${firstSeq} uses codec ${codec}, which this runtape cannot read; upgrade runtape`);
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
  if (codec === CODEC_BROTLI_FORMS) {
    for (let i = 0; i < count; i++) if ((forms[i] = r.uint()) > FORM_TEXT_DELTA) throw new RuntapeError('an event block holds an unknown payload form (the database is damaged)');
  }
  const lengths = new Array<number>(count);
  for (let i = 0; i < count; i++) lengths[i] = r.uint();
  const text = packed.toString('utf8', r.offset);
  const events = new Array<StoredEvent>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const stored = text.slice(at, (at += lengths[i]!));
    const payload = forms[i] === FORM_TEXT_DELTA ? textDeltaPayloadOf(stored) : stored;
    events[i] = { seq: seqs[i]!, tUs: times[i]!, level: levels[i]!, name: nameOf[i]!, agent: agentOf[i]!, payload };
  }
  return events;
}

/**
 * A block holds whole-number seqs, increasing, and whole-number offsets: anything else (a damaged row of an old
 * database being migrated) is refused with the transaction, never rounded or reordered.
 */
function checkOrder(e: EventToStore, previous: EventToStore | undefined): void {
  if (!Number.isSafeInteger(e.seq) || (previous && e.seq <= previous.seq)) {
    throw new RuntapeError(`cannot store event seq ${e.seq} in an event block: seqs are whole numbers, increasing`);
  }
  if (!Number.isSafeInteger(e.tUs)) throw new RuntapeError(`cannot store event ${e.seq} in an event block: its time offset ${e.tUs} is not a whole number`);
}

/** Distinct strings in order of first appearance, each with its index. */
class Dictionary {
  readonly values: string[] = [];
  readonly #index = new Map<string, number>();

  indexOf(value: string): number {
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
