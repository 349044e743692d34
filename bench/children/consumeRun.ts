/**
 * One application process for the recorder-overhead benchmark: streams a scripted run through the SDK's own
 * Runner or a RecordingRunner, consumes it as fast as it can, and prints what it measured as JSON:
 *
 *   node --import tsx bench/children/consumeRun.ts '<ConsumeConfig as JSON>'
 *
 * A process per run, so each side has its own heap, JIT and peak RSS.
 */
import { Agent, OpenAIProvider, Runner, setTracingDisabled, type RunConfig } from '@openai/agents';
import OpenAI from 'openai';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { MessageChannel } from 'node:worker_threads';
import { streamingAgent } from '../../test/support/scriptedTurns.js';
import { deltaWords, WARM_UP_DELTAS } from '../deltaWords.js';

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
  /**
   * Stream through the real `openai` client and the SDK's OpenAIResponsesModel from this local Responses API
   * (a fake SSE server) instead of a scripted model: each delta then also has its raw `model` event.
   */
  openaiUrl?: string;
  /**
   * Between the warm-ups, use a few of Node's asynchronous APIs (a timer, an immediate, a file stat, a random
   * UUID, a message port), as any application has by the time it streams a run: both sides alike.
   */
  applicationLike?: boolean;
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
  /** The same, as it was when the application's loop ended (before the run's last batch was stored). */
  loopMaxRssMb: number;
  /** Events the application's loop saw in the measured run. */
  seen: number;
  /**
   * Until the loop ended, the application's thread: its own CPU time, and the time it was ready to run but
   * waited for a core (the writer thread and both isolates' garbage collectors compete for the machine's
   * cores). Null where the kernel does not report them (Linux's schedstat).
   */
  thread: ThreadTime | null;
}

export interface ThreadTime {
  cpuMs: number;
  runQueueMs: number;
}

const config = JSON.parse(process.argv[2]!) as ConsumeConfig;
setTracingDisabled(true);

const runConfig: Partial<RunConfig> = {
  tracingDisabled: true,
  ...(config.openaiUrl ? { modelProvider: new OpenAIProvider({ openAIClient: new OpenAI({ baseURL: config.openaiUrl, apiKey: 'bench', maxRetries: 0 }), useResponses: true }) } : {}),
};

/** The agent of one run: the server streams whatever it was told to for each request. */
function agentFor(deltas: string[]): Agent {
  if (config.openaiUrl) return new Agent({ name: 'Streamer', instructions: 'Talk at length.', model: 'gpt-4.1' });
  return streamingAgent(deltas, config.delayMs ? { deltaDelayMs: config.delayMs } : {});
}

/** The main thread's CPU and run-queue time so far, ms (`/proc/self/task/<pid>/schedstat`: both in ns). */
function mainThreadTime(): ThreadTime | null {
  try {
    const [cpuNs, waitNs] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return Number.isFinite(cpuNs) && Number.isFinite(waitNs) ? { cpuMs: cpuNs! / 1e6, runQueueMs: waitNs! / 1e6 } : null;
  } catch {
    return null;
  }
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function consume(deltas: string[]): Promise<Omit<Consumed, 'maxRssMb'>> {
  const runner = config.runner === 'sdk' ? new Runner(runConfig) : new RecordingRunner(runConfig, { db: config.db, capture: config.capture ?? true });
  const threadAtStart = mainThreadTime();
  const start = performance.now();
  const result = await runner.run(agentFor(deltas), 'Go on.', { stream: true });
  let seen = 0;
  for await (const _event of result) seen++;
  const loopMs = performance.now() - start;
  const threadAtEnd = mainThreadTime();
  const thread = threadAtStart && threadAtEnd ? { cpuMs: threadAtEnd.cpuMs - threadAtStart.cpuMs, runQueueMs: threadAtEnd.runQueueMs - threadAtStart.runQueueMs } : null;
  const loopMaxRssMb = maxRssMb();
  await result.completed;
  const completedMs = performance.now() - start;
  await recordingStored(result);
  const storedMs = performance.now() - start;
  // Scripted: response_started, the deltas, response_done, the message item. Through the openai client each
  // delta has its raw twin too. Both sides must do the whole job.
  const least = config.openaiUrl ? 2 * deltas.length : deltas.length + 3;
  if (config.openaiUrl ? seen < least : seen !== least) throw new Error(`expected ${least} events, the application saw ${seen}`);
  return { loopMs, completedMs, storedMs, seen, loopMaxRssMb, thread };
}

/**
 * What an application's process has done besides the SDK. Node's async hooks (on since the SDK's tracing context
 * first ran) then have seen resources of these kinds, not promises alone: their property lookups on each new
 * promise go megamorphic, which costs the SDK itself about a tenth more instructions per event (callgrind).
 * A process that has done nothing else is the cleanest baseline, not the usual one.
 */
async function actLikeAnApplication(): Promise<void> {
  await new Promise((resolve) => setTimeout(() => setTimeout(resolve, 1), 1));
  await new Promise((resolve) => setImmediate(resolve));
  await stat('.');
  randomUUID();
  const channel = new MessageChannel();
  await new Promise((resolve) => {
    channel.port2.once('message', () => setTimeout(resolve, 1));
    channel.port1.postMessage('ping');
  });
  channel.port1.close();
}

for (let i = 0; i < config.warmUps; i++) {
  await consume(WARM_UP_DELTAS);
  if (config.applicationLike) await actLikeAnApplication();
}
const measured = await consume(deltaWords(config.deltas));
const consumed: Consumed = { ...measured, maxRssMb: maxRssMb() };
process.stdout.write(JSON.stringify(consumed) + '\n');
