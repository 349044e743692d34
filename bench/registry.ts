import type { Benchmark } from './benchmark.js';
import { bytesPerEvent } from './bytesPerEvent.js';
import { captureOverhead } from './captureOverhead.js';
import { captureStorage } from './captureStorage.js';
import { crashLoss } from './crashLoss.js';
import { listRuns } from './listRuns.js';
import { persistThroughput } from './persistThroughput.js';
import { recorderOverhead } from './recorderOverhead.js';
import { windowReads } from './windowReads.js';
import { replayTiming } from './replayTiming.js';
import { replayThroughput } from './replayThroughput.js';
import { inspectorPaint } from './inspectorPaint.js';
import { demoFirstLook } from './demoFirstLook.js';
import { rerunOverhead } from './rerunOverhead.js';

/** What `npm run bench` measures, in this order. A new measurement is a module exporting a Benchmark, added here. */
export const benchmarks: readonly Benchmark[] = [
  recorderOverhead,
  captureOverhead,
  crashLoss,
  persistThroughput,
  bytesPerEvent,
  captureStorage,
  windowReads,
  listRuns,
  replayTiming,
  replayThroughput,
  inspectorPaint,
  demoFirstLook,
  rerunOverhead,
];
