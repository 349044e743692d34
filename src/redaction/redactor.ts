import { BUILT_IN_SECRET_KEYS, BUILT_IN_SECRET_VALUES, REDACTED } from './builtInSecrets.js';
import type { RedactionSpec, SecretFinder } from './options.js';

/** `[start, end)` in a string. */
export type Span = readonly [start: number, end: number];

/** A JSON member as text: its key (1), and its value: a string's characters (2; 3 when still open at the text's end) or a scalar (4). */
const JSON_MEMBER = /"((?:[^"\\]|\\.)*)"\s*:\s*(?:"((?:[^"\\]|\\.)*)(?:"|(\\?)$)|([^\s"{}[\],]+))/dg;

/** Distinct keys remembered with their verdict; keys repeat endlessly (`type`, `delta`), so this is small. */
const KEY_VERDICTS_KEPT = 10_000;

/**
 * One run's redaction rules, applied on the writer thread: the built-in ones, the run's options, and the
 * run's module. A value's secrets are masked by copy: what holds none is returned as it is.
 */
export class Redactor {
  readonly #keys: (string | RegExp)[];
  readonly #values: RegExp[];
  readonly #finder: SecretFinder | null;
  readonly #keyVerdicts = new Map<string, boolean>();

  constructor(spec: RedactionSpec, finder: SecretFinder | null) {
    // A key rule tests each key afresh (not global, not sticky); a value pattern scans the whole text (global).
    this.#keys = [...BUILT_IN_SECRET_KEYS, ...spec.keys].map((k) => (typeof k === 'string' ? k.toLowerCase() : withFlags(k, '')));
    this.#values = [...BUILT_IN_SECRET_VALUES, ...spec.values].map((p) => withFlags(p, 'g'));
    this.#finder = finder;
  }

  /** The secrets in `text`: sorted, overlapping and touching spans merged. */
  spans(text: string): Span[] {
    const found: Span[] = [];
    for (const pattern of this.#values) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        if (m[0].length === 0) pattern.lastIndex++;
        else found.push([m.index, m.index + m[0].length]);
      }
    }
    this.#secretKeyValues(text, found);
    if (this.#finder) {
      for (const [start, end] of this.#finder(text)) {
        const s = Math.max(0, Math.trunc(start));
        const e = Math.min(text.length, Math.trunc(end));
        if (e > s) found.push([s, e]);
      }
    }
    return mergeSpans(found);
  }

  /**
   * The values under secret keys in JSON written as text: streamed function call arguments, JSON a model
   * writes, JSON inside prose. The value's characters, not its quotes (the JSON stays JSON); a string still
   * open at the end of the text runs to its end, so streamed text waits until it closes.
   */
  #secretKeyValues(text: string, found: Span[]): void {
    if (!text.includes('"')) return;
    JSON_MEMBER.lastIndex = 0;
    for (let m = JSON_MEMBER.exec(text); m; m = JSON_MEMBER.exec(text)) {
      if (!this.isSecretKey(m[1]!)) continue;
      const [start, valueEnd] = m.indices![2] ?? m.indices![4]!;
      // A string still open at the end of the text: whatever comes next may be more of it.
      const end = m[3] !== undefined ? text.length : valueEnd;
      if (end > start) found.push([start, end]);
    }
  }

  /** Whether the value under this key is never stored. */
  isSecretKey(key: string): boolean {
    let verdict = this.#keyVerdicts.get(key);
    if (verdict === undefined) {
      const lower = key.toLowerCase();
      verdict = this.#keys.some((rule) => (typeof rule === 'string' ? rule === lower : rule.test(key)));
      if (this.#keyVerdicts.size >= KEY_VERDICTS_KEPT) this.#keyVerdicts.clear();
      this.#keyVerdicts.set(key, verdict);
    }
    return verdict;
  }

  /**
   * A value with its secrets masked: values under secret keys, secret spans in strings, and both inside
   * strings that hold JSON (a tool call's arguments, a tool's output, a serialized RunState).
   */
  value<T>(value: T): T {
    return this.#value(value, new Set()) as T;
  }

  /** Stored JSON text (an event payload) with its secrets masked; the same text when it holds none. */
  jsonText(text: string): string {
    return this.#string(text, new Set());
  }

  #value(value: unknown, ancestors: Set<object>): unknown {
    if (typeof value === 'string') return this.#string(value, ancestors);
    if (typeof value !== 'object' || value === null) return value;
    // A cycle (structured cloning keeps them): stored the way serialization stores one.
    if (ancestors.has(value)) return '[Circular]';
    if (Array.isArray(value)) {
      ancestors.add(value);
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const item = this.#value(value[i], ancestors);
        if (item !== value[i]) (copy ??= value.slice())[i] = item;
      }
      ancestors.delete(value);
      return copy ?? value;
    }
    if (!isPlainObject(value)) return value;
    ancestors.add(value);
    let copy: Record<string, unknown> | null = null;
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      // A scalar under a secret key is masked; an object there (a JSON schema's `api_key` property) is searched.
      const redacted = isScalar(item) && this.isSecretKey(key) ? REDACTED : this.#value(item, ancestors);
      if (redacted !== item) (copy ??= { ...value })[key] = redacted;
    }
    ancestors.delete(value);
    return copy ?? value;
  }

  #string(text: string, ancestors: Set<object>): string {
    const parsed = holdsJson(text) ? parseJson(text) : undefined;
    if (parsed !== undefined) {
      const redacted = this.#value(parsed, ancestors);
      return redacted === parsed ? text : JSON.stringify(redacted);
    }
    const spans = this.spans(text);
    return spans.length === 0 ? text : maskSpans(text, spans);
  }
}

/** The pattern with its own flags but `g` and `y`, plus these. */
function withFlags(pattern: RegExp, flags: string): RegExp {
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '') + flags);
}

/** `text` with each span replaced by the mask. */
export function maskSpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

function mergeSpans(spans: Span[]): Span[] {
  if (spans.length <= 1) return spans;
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [[spans[0]![0], spans[0]![1]]];
  for (const [start, end] of spans.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint';
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Only an object or array is worth parsing: a JSON string or number holds no key. */
function holdsJson(text: string): boolean {
  // Without trimming: a long text would be copied for one character.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) return true; // { [
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return false;
}

function parseJson(text: string): object | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}
