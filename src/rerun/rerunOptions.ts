import type { RerunMatchOptions } from './rerunSession.js';
import type { RerunSourceOptions } from './rerunSource.js';

/** `new RecordingRunner(config, { rerun })`: every run of the runner is answered by this recorded run. */
export interface RerunOptions extends RerunSourceOptions, RerunMatchOptions {}
