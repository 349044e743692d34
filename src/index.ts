export { RecordingRunner } from './recorder/recordingRunner.js';
export { record, recordedRunId, type RecordOptions, type RecordStartOptions } from './recorder/record.js';
export type { RecordingClock } from './recorder/clock.js';
export { RunStore, type EventFilter } from './store/runStore.js';
export { resolveDbPath, DEFAULT_DB_PATH } from './store/database.js';
export type { RunRecord, StoredEvent, AgentRecord, RunStatus, RunFilter } from './store/types.js';
export { EVENT_LEVELS, type EventLevel } from './events/levels.js';
export { RuntapeError } from './errors.js';

import { RunStore } from './store/runStore.js';
import type { OpenOptions } from './store/database.js';

/** Opens a recordings database (default: RUNTAPE_DB, then recordings/runtape.db). */
export function openStore(path?: string, options?: OpenOptions): RunStore {
  return RunStore.open(path, options);
}
export { replay, Playback, type ReplayOptions, type ReplayedRunResult, type ReplayedStreamEvent, type ReplayClock, type Speed } from './replay/index.js';
