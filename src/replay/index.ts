export { Playback, JUMP_TARGETS, type PlaybackOptions, type PlaybackChange } from './playback.js';
export { replay, RECORDING_GAP_EVENT, type ReplayOptions, type ReplayedRunResult, type ReplayedStreamEvent } from './replayResult.js';
export { systemClock, type ReplayClock } from './clock.js';
export { parseSpeed, formatSpeed, type Speed } from './speed.js';
