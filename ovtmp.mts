import { Runner } from '@openai/agents';
import { RecordingRunner, recordingStored } from './src/index.ts';
import { streamingAgent } from './test/support/scriptedTurns.ts';
const [mode, n] = [process.argv[2]!, Number(process.argv[3] ?? 200000)];
const deltas = Array.from({ length: n }, (_, i) => ['The', ' refund', ' for', '.'][i % 4]!);
const times: number[] = [];
for (let k = 0; k < 4; k++) {
  const runner = mode === 'sdk' ? new Runner({ tracingDisabled: true }) : new RecordingRunner({ tracingDisabled: true }, { db: '/tmp/t1/ov.db' });
  const t = performance.now();
  const r = await runner.run(streamingAgent(deltas), 'x', { stream: true });
  for await (const _ of r) {}
  times.push(performance.now() - t);
  await recordingStored(r);
}
console.log(mode, times.slice(1).map((t) => t.toFixed(0)).join(' '), 'rss', (process.memoryUsage().rss / 1e6).toFixed(0));
