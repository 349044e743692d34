import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { RuntapeError } from '../../errors.js';
import type { CaptureKind } from '../../capture/types.js';

/**
 * How an archive's bytes are compressed: the row's `codec` column, so the choice can change and old rows
 * still read. 1: raw deflate, level 9, with the run's agent graph as its dictionary (`archiveDictionary`).
 */
export const ARCHIVE_DEFLATE_AGENTS = 1;

/**
 * A finished run's captures in one piece: its distinct items `[n, item]` and its records `[kind, n, record]`
 * (item lists holding item numbers), as JSON. A run's records repeat what its agent graph holds (each call
 * offers an agent's tools with their schemas, and its instructions), so the graph, stored beside them, is the
 * dictionary they are compressed against; compressed together, what the calls repeat among themselves goes
 * too. Measured on demo runs: a sixth of the JSON, where brotli q5 without the dictionary left a quarter
 * (and q11 took a hundred times as long). A run's captures are read whole, so one piece costs a reader nothing.
 */
export interface CaptureArchive {
  items: [number, unknown][];
  records: [CaptureKind, number, unknown][];
}

export function encodeArchive(
  items: readonly { n: number; item: string }[],
  records: readonly { kind: string; n: number; record: string }[],
  dictionary: Buffer,
): Buffer {
  const packed = `{"items":[${items.map((i) => `[${i.n},${i.item}]`).join(',')}],"records":[${records.map((r) => `[${JSON.stringify(r.kind)},${r.n},${r.record}]`).join(',')}]}`;
  return deflateRawSync(packed, { level: 9, ...(dictionary.length > 0 ? { dictionary } : {}) });
}

export function decodeArchive(codec: number, data: Uint8Array, dictionary: Buffer): CaptureArchive {
  if (codec !== ARCHIVE_DEFLATE_AGENTS) throw new RuntapeError(`a capture archive uses codec ${codec}, which this runtape cannot read; upgrade runtape`);
  return JSON.parse(inflateRawSync(data, dictionary.length > 0 ? { dictionary } : {}).toString('utf8')) as CaptureArchive;
}

/** The agent graph's columns as stored (never changed once the run is created), the last 32 KiB deflate can use. */
export function archiveDictionary(agents: readonly { instructions: string | null; tools: string; handoffs: string }[]): Buffer {
  const text = Buffer.from(agents.map((a) => `${a.instructions ?? ''}${a.tools}${a.handoffs}`).join(''));
  return text.length > 32768 ? text.subarray(text.length - 32768) : text;
}
