import type { CaptureKind, CaptureRecords, CaptureSink } from '../../src/capture/types.js';

/**
 * A CaptureSink that keeps what it is handed, in order: the stand-in for a run's recording while the
 * capture modules under test (and the real SDK runner driving them) are exercised. Its clock ticks once
 * per reading, so order shows in the timestamps.
 */
export class CollectingSink implements CaptureSink {
  readonly records: { [K in CaptureKind]: CaptureRecords[K][] } = { modelCall: [], handoff: [], toolCall: [], guardrail: [], span: [] };
  #us = 0;
  #seq = 1;

  elapsedUs(): number {
    return (this.#us += 10);
  }

  nextSeq(): number {
    return this.#seq;
  }

  capture<K extends CaptureKind>(kind: K, record: CaptureRecords[K]): void {
    this.records[kind].push(record);
  }
}
