export type { Difference, DifferenceField, RequestField } from './difference.js';
export { describeDifference } from './difference.js';
export { DivergenceError } from './divergenceError.js';
export type { MatchOptions, Normalizer } from './matching.js';
export type { RerunOptions } from './rerunOptions.js';
export type { Pace } from './servedResponse.js';
export { rerunModelProvider, type RerunProvider, type RerunProviderOptions } from './rerunModelProvider.js';
export { rerunDivergences } from './runnerRerun.js';
