/**
 * One application process for the recorder-overhead benchmark: streams a scripted run through the SDK's own
 * Runner or a RecordingRunner, consumes it as fast as it can, and prints what it measured as JSON:
 *
 *   node --import tsx bench/children/consumeRun.ts '<ConsumeConfig as JSON>'
 *
 * A process per run, so each side has its own heap, JIT and peak RSS.
 */
import { Runner, setTracingDisabled } from '@openai/agents';
import { streamingAgent } from '../../test/support/scriptedTurns.js';

// The recorder as an application loads it: the built package (its writer thread then loads no TypeScript).
const BUILT = '../../dist/index.js';
const { RecordingRunner, recordingStored } = (await import(BUILT)) as typeof import('../../src/index.js');

export interface ConsumeConfig {
  runner: 'sdk' | 'recording';
  deltas: number;
  /** Real time between deltas, ms; 0 streams as fast as the SDK can. */
  delayMs: number;
  db: string;
  /** Runs before the measured one, to warm the JIT (and, recording, start the writer thread). */
  warmUps: number;
  /** Recording: capture what each agent saw too (default true, as a RecordingRunner does). */
  capture?: boolean;
}

export interface Consumed {
  /** Until the application's `for await` loop ended. */
  loopMs: number;
  /** Until `completed` resolved. */
  completedMs: number;
  /** Until the recording was stored (the SDK side: equal to completedMs). */
  storedMs: number;
  /** Peak resident set size of the process, MB. */
  maxRssMb: number;
}

const WORDS = ['The', ' refund', ' for', ' the', ' duplicate', ' charge', ' has', ' been', ' issued', '.', '\n'];
const config = JSON.parse(process.argv[2]!) as ConsumeConfig;
setTracingDisabled(true);

async function consume(deltas: string[]): Promise<Omit<Consumed, 'maxRssMb'>> {
  const runner = config.runner === 'sdk' ? new Runner({ tracingDisabled: true }) : new RecordingRunner({ tracingDisabled: true }, { db: config.db, capture: config.capture ?? true });
  const start = performance.now();
  const result = await runner.run(streamingAgent(deltas, config.delayMs ? { deltaDelayMs: config.delayMs } : {}), 'Go on.', { stream: true });
  let seen = 0;
  for await (const _event of result) seen++;
  const loopMs = performance.now() - start;
  await result.completed;
  const completedMs = performance.now() - start;
  await recordingStored(result);
  const storedMs = performance.now() - start;
  // response_started, the deltas, response_done, the message item: both sides must do the whole job.
  if (seen !== deltas.length + 3) throw new Error(`expected ${deltas.length + 3} events, the application saw ${seen}`);
  return { loopMs, completedMs, storedMs };
}

for (let i = 0; i < config.warmUps; i++) await consume(WORDS.slice(0, 8));
const measured = await consume(Array.from({ length: config.deltas }, (_, i) => WORDS[i % WORDS.length]!));
const consumed: Consumed = { ...measured, maxRssMb: process.resourceUsage().maxRSS / 1024 };
process.stdout.write(JSON.stringify(consumed) + '\n');
