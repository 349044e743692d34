import { REDACTED } from '../../redaction/builtInSecrets.js';
import type { Redactor, Span } from '../../redaction/redactor.js';
import type { NewRun, RunEnd } from '../../store/types.js';
import { JoinedText, type TextSource } from '../../events/joinedText.js';
import { toJsonText } from '../../events/serialize.js';
import { EventKind, type EventJson } from './compactEvent.js';
import { textStartOf } from '../../events/storedEvent.js';
import { concatEvents, sliceEvents, type CompactEvents } from './compactEvents.js';

/**
 * The last characters of a response's streamed text that wait for the next batch before they are stored: a
 * secret whose start is in them may not be recognizable yet (`sk-` alone is no key). A secret up to this
 * long is found whichever deltas and batches it is split across; a match still running at a batch's end
 * waits whatever its length.
 */
export const CARRY_CHARS = 256;

/**
 * One run's redaction on the writer thread: what it stores of the run's creation, events and end.
 *
 * Streamed text (the output text deltas, and the deltas of a provider's own events, e.g.
 * `response.output_text.delta` or `response.function_call_arguments.delta`) is redacted as the text it
 * assembles into, not delta by delta: a secret split across deltas is found whole. The rule that keeps
 * replay faithful: each delta keeps its seq, time and every character outside secrets; a secret's mask
 * stands in the delta where the secret began, and the secret's characters in later deltas are dropped
 * (such a delta may be stored empty). So the stored deltas, joined, give the assembled text with each secret
 * masked. A response's text ends at its `response_done` (or the next item, agent change or run end).
 *
 * A secret can span batches: the tail of a response's text that may hold the start of one (its last
 * CARRY_CHARS characters, or a match still running at the end) waits, with the run's events after it
 * (they keep their order), for the run's next batch; it is stored at the response's end, the run's end,
 * a gap, or the process's exit flush.
 */
export class RunRedaction {
  #held: CompactEvents | null = null;

  constructor(readonly redactor: Redactor) {}

  run(run: NewRun): NewRun {
    const r = this.redactor;
    return { ...run, name: r.value(run.name), input: r.value(run.input), tags: r.value(run.tags), metadata: r.value(run.metadata), agents: r.value(run.agents) };
  }

  end(end: RunEnd): RunEnd {
    const r = this.redactor;
    return { ...end, finalOutput: r.value(end.finalOutput), error: r.value(end.error), usage: r.value(end.usage), runState: r.value(end.runState) };
  }

  /**
   * The run's events to store now, redacted, and the events that wait (`commit` them once the batch is
   * stored: a batch retried after a busy database takes them again). `final`: nothing waits.
   */
  take(incoming: CompactEvents, final: boolean): { events: CompactEvents; held: CompactEvents | null } {
    const list = this.#held ? concatEvents(this.#held, incoming) : incoming;
    const length = list.seqs.length;
    const { streams, deltaTexts } = deltaStreamsOf(list);
    for (const stream of streams) stream.spans = this.redactor.spans(stream.text);
    const hold = final ? length : holdFrom(length, streams);
    const events = this.#redacted(sliceEvents(list, 0, hold), maskedPieces(streams, hold), deltaTexts);
    return { events, held: hold < length ? sliceEvents(list, hold, length) : null };
  }

  commit(held: CompactEvents | null): void {
    this.#held = held;
  }

  get holding(): boolean {
    return this.#held !== null;
  }

  /**
   * The events with their deltas replaced by their masked pieces, everything else redacted as a value.
   * `deltaTexts`: the streamed text each raw event other than a plain text delta carries, by index.
   */
  #redacted(events: CompactEvents, masked: Map<number, string>, deltaTexts: (string | undefined)[]): CompactEvents {
    const { kinds, values } = events;
    const redacted = new Array<unknown>(kinds.length);
    for (let i = 0; i < kinds.length; i++) {
      if (kinds[i] !== EventKind.TextDelta) redacted[i] = this.#value(kinds[i]!, values[i], deltaTexts[i], masked.get(i));
    }
    // Asked of the few masked pieces rather than of every delta.
    const maskedTexts = [...masked.keys()].some((i) => kinds[i] === EventKind.TextDelta);
    return { ...events, values: redacted, ...(maskedTexts ? maskedTextOf(events, masked) : {}) };
  }

  /** One event's value that is not a plain text delta's, its delta (if any: `delta`) replaced by its masked piece. */
  #value(kind: EventKind, value: unknown, delta: string | undefined, maskedDelta: string | undefined): unknown {
    const r = this.redactor;
    switch (kind) {
      case EventKind.Raw:
      case EventKind.Item: {
        // What holds no secret keeps the JSON the application's thread made.
        const { event } = value as EventJson;
        if (delta === undefined) {
          const redacted = r.value(event);
          return redacted === event ? value : eventJson(redacted);
        }
        // The delta is redacted with its stream; the rest of the event on its own.
        const rest = withDelta(event, '');
        const redactedRest = r.value(rest);
        return redactedRest === rest && maskedDelta === undefined ? value : eventJson(withDelta(redactedRest, maskedDelta ?? delta));
      }
      case EventKind.Described: {
        const [level, name, payload] = value as [unknown, unknown, string];
        return [level, name, r.jsonText(payload)];
      }
      default:
        return value; // an agent's name
    }
  }
}

/** The text of the events' deltas with the masked ones replaced, and where each delta's text now ends. */
function maskedTextOf(events: CompactEvents, masked: Map<number, string>): Pick<CompactEvents, 'text' | 'textEnds'> {
  const source: TextSource = { text: events.text };
  const text = new JoinedText();
  const textEnds = new Array<number>(events.kinds.length);
  for (let i = 0; i < events.kinds.length; i++) {
    if (events.kinds[i] === EventKind.TextDelta) {
      const piece = masked.get(i);
      if (piece === undefined) text.addPiece(source, textStartOf(events, i), events.textEnds[i]!);
      else text.add(piece);
    }
    textEnds[i] = text.length;
  }
  return { text: text.toString(), textEnds };
}

/**
 * One response's text in one stream: the events that carry its pieces and where each piece ends in it
 * (parallel arrays: a batch has hundreds of pieces, and this runs for every one of them).
 */
interface DeltaStream {
  indexes: number[];
  ends: number[];
  text: string;
  /** Its response ended within these events: nothing of it waits. */
  closed: boolean;
  spans: Span[];
}

/**
 * The streamed texts among the events, in order: one per stream key and response; and, by event index, the
 * text each raw event other than a plain text delta carries (what redacting the event itself needs too).
 */
function deltaStreamsOf(list: CompactEvents): { streams: DeltaStream[]; deltaTexts: (string | undefined)[] } {
  const all: DeltaStream[] = [];
  const deltaTexts = new Array<string | undefined>(list.kinds.length);
  const texts = new Map<DeltaStream, JoinedText>();
  const source: TextSource = { text: list.text };
  let open = new Map<string, DeltaStream>();
  const { kinds, values } = list;
  for (let index = 0; index < kinds.length; index++) {
    const kind = kinds[index]!;
    // The common case first, without allocating: a plain text delta, a piece of the events' text.
    const plain = kind === EventKind.TextDelta;
    const delta = plain ? null : deltaAt(kind, values[index]);
    if (!plain && !delta) {
      if (endsResponse(kind, values[index])) {
        for (const stream of open.values()) stream.closed = true;
        open = new Map();
      }
      continue;
    }
    const key = plain ? 'text' : delta!.key;
    let stream = open.get(key);
    if (!stream) {
      open.set(key, (stream = { indexes: [], ends: [], text: '', closed: false, spans: [] }));
      all.push(stream);
      texts.set(stream, new JoinedText());
    }
    const text = texts.get(stream)!;
    if (plain) text.addPiece(source, textStartOf(list, index), list.textEnds[index]!);
    else text.add((deltaTexts[index] = delta!.text));
    stream.indexes.push(index);
    stream.ends.push(text.length);
  }
  for (const [stream, text] of texts) stream.text = text.toString();
  return { streams: all, deltaTexts };
}

/** The first event that waits: the earliest piece that may hold the start of an unfinished secret. */
function holdFrom(length: number, streams: DeltaStream[]): number {
  let hold = length;
  for (const stream of streams) {
    if (stream.closed) continue;
    let cut = Math.max(0, stream.text.length - CARRY_CHARS);
    for (const [start, end] of stream.spans) if (start < cut && end > cut) cut = start;
    hold = Math.min(hold, pieceAt(stream, cut));
  }
  // Holding back an event of one stream holds the events after it in every stream: a secret that now
  // straddles the cut of another stream waits whole.
  for (let moved = true; moved; ) {
    moved = false;
    for (const stream of streams) {
      const written = writtenLength(stream, hold);
      for (const [start, end] of stream.spans) {
        if (start < written && end > written) {
          hold = pieceAt(stream, start);
          moved = true;
        }
      }
    }
  }
  return hold;
}

/** The event whose piece holds text position `at` (past the text: none, so the list's length). */
function pieceAt(stream: DeltaStream, at: number): number {
  const { ends } = stream;
  // Pieces end in order: the first that ends past `at`, by bisection.
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! > at) hi = mid;
    else lo = mid + 1;
  }
  return lo < ends.length ? stream.indexes[lo]! : Number.MAX_SAFE_INTEGER;
}

/** How much of the stream's text lies in events before `hold`. */
function writtenLength(stream: DeltaStream, hold: number): number {
  const { indexes, ends } = stream;
  let written = 0;
  for (let i = 0; i < indexes.length && indexes[i]! < hold; i++) written = ends[i]!;
  return written;
}

/** The masked text of each stored piece that a secret touches, by event index. */
function maskedPieces(streams: DeltaStream[], hold: number): Map<number, string> {
  const masked = new Map<number, string>();
  for (const stream of streams) {
    if (stream.spans.length === 0) continue;
    const { indexes, ends, text: whole } = stream;
    for (let i = 0; i < indexes.length && indexes[i]! < hold; i++) {
      const pieceStart = i === 0 ? 0 : ends[i - 1]!;
      const pieceEnd = ends[i]!;
      const touching = stream.spans.filter(([start, end]) => start < pieceEnd && end > pieceStart);
      if (touching.length === 0) continue;
      let text = '';
      let at = pieceStart;
      for (const [start, end] of touching) {
        if (start >= pieceStart) text += whole.slice(at, start) + REDACTED;
        at = Math.min(pieceEnd, end);
      }
      masked.set(indexes[i]!, text + whole.slice(at, pieceEnd));
    }
  }
  return masked;
}

/** An event's redacted copy, as the writer stores it. */
function eventJson(event: unknown): EventJson {
  return { json: toJsonText(event), event: event as EventJson['event'] };
}

/** Events after which a response's text is complete. */
function endsResponse(kind: EventKind, value: unknown): boolean {
  if (kind !== EventKind.Raw) return kind !== EventKind.TextDelta;
  return (value as EventJson).event?.data?.type === 'response_done';
}

interface RawDelta {
  type?: unknown;
  delta?: unknown;
  event?: { type?: unknown; delta?: unknown; item_id?: unknown; output_index?: unknown; content_index?: unknown };
}

/** The streamed text a raw event carries, and which stream it belongs to. */
function deltaAt(kind: EventKind, value: unknown): { key: string; text: string } | null {
  if (kind !== EventKind.Raw) return null;
  const data = ((value as EventJson).event as { data?: RawDelta } | null)?.data;
  if (data?.type === 'output_text_delta' && typeof data.delta === 'string') return { key: 'text', text: data.delta };
  const inner = data?.type === 'model' ? data.event : undefined;
  if (inner && typeof inner.delta === 'string') {
    return { key: `model:${String(inner.type)}:${String(inner.item_id ?? inner.output_index)}:${String(inner.content_index)}`, text: inner.delta };
  }
  return null;
}

/** A copy of a raw event with its delta replaced. */
function withDelta(value: unknown, text: string): unknown {
  const event = value as { data: RawDelta };
  const data = event.data;
  if (data.type === 'output_text_delta') return { ...event, data: { ...data, delta: text } };
  return { ...event, data: { ...data, event: { ...data.event, delta: text } } };
}
