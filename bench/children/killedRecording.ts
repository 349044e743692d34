/**
 * One application process for the crash-loss benchmark: records a long CPU-bound run and, as it reads the
 * stream, writes how many events it has seen (every 256) to stdout, synchronously, so that what it printed
 * last before a kill -9 is where it had got to:
 *
 *   node --import tsx bench/children/killedRecording.ts '<KilledRecordingConfig as JSON>'
 */
import { setTracingDisabled } from '@openai/agents';
import { writeSync } from 'node:fs';
import { streamingAgent } from '../../test/support/scriptedTurns.js';
import { deltaWords } from '../deltaWords.js';

// The recorder as an application loads it: the built package.
const BUILT = '../../dist/index.js';
const { RecordingRunner } = (await import(BUILT)) as typeof import('../../src/index.js');

export interface KilledRecordingConfig {
  db: string;
  deltas: number;
}

const config = JSON.parse(process.argv[2]!) as KilledRecordingConfig;
setTracingDisabled(true);
const result = await new RecordingRunner({ tracingDisabled: true }, { db: config.db, name: 'killed' }).run(streamingAgent(deltaWords(config.deltas)), 'Go on.', {
  stream: true,
});
let seen = 0;
for await (const _event of result) {
  if ((++seen & 255) === 0) writeSync(1, `${seen}\n`);
}
writeSync(1, 'finished\n');
