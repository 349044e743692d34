export { RecordingRunner, type RecordingRunnerOptions } from './recorder/recordingRunner.js';
export { record, recordedRunId, recordingStored, type RecordOptions, type RecordStartOptions } from './recorder/record.js';
export type { RecordingClock } from './recorder/clock.js';
export type { RedactOptions, SecretFinder } from './redaction/options.js';
export type { RunStore, EventFilter, EventWindow, OpenOptions } from './store/runStore.js';
export { openStore, resolveDbPath, DEFAULT_DB_PATH } from './store/openStore.js';
export type { RunRecord, StoredEvent, AgentRecord, RunStatus, RunFilter } from './store/types.js';
export { EVENT_LEVELS, type EventLevel } from './events/levels.js';
export { RuntapeError } from './errors.js';
export { replay, RECORDING_GAP_EVENT, Playback, type ReplayOptions, type ReplayedRunResult, type ReplayedStreamEvent, type ReplayClock, type Speed } from './replay/index.js';
export {
  DivergenceError,
  describeDifference,
  rerunDivergences,
  rerunModelProvider,
  type Difference,
  type DifferenceField,
  type RequestField,
  type MatchOptions,
  type Normalizer,
  type RerunOptions,
  type RerunProvider,
  type RerunProviderOptions,
  type Pace,
} from './rerun/index.js';
export type { Fault } from './faults/fault.js';
