import { RecordingRunner, recordingStored } from './src/index.ts';
import { streamingAgent } from './test/support/scriptedTurns.ts';
const N = 300000;
const deltas = Array.from({ length: N }, (_, i) => ['The', ' refund', ' for', '.'][i % 4]!);
for (let k = 0; k < 3; k++) {
const r = await new RecordingRunner({ tracingDisabled: true }, { db: '/tmp/t1/prof.db' }).run(streamingAgent(deltas), 'x', { stream: true });
for await (const _ of r) {}
await recordingStored(r);
}
