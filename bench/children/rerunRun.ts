/**
 * One application process for the re-run benchmark: a run of `calls` model calls (a tool call each, then the
 * answer), recorded by a RecordingRunner, answered either by the SDK's ScriptedModel or by re-running a
 * recording of the same run at instant pace. Prints what it measured as JSON:
 *
 *   node --import tsx bench/children/rerunRun.ts '<RerunRunConfig as JSON>'
 *
 * `record` writes the source recordings the `rerun` side serves (no timing).
 */
import { Agent, setTracingDisabled, tool, type ModelProvider } from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import { z } from 'zod';
import { callTurn, textTurn } from '../../test/support/scriptedTurns.js';

// The recorder as an application loads it: the built package (its writer thread then loads no TypeScript).
const BUILT = '../../dist/index.js';
const { RecordingRunner, openStore, recordedRunId, recordingStored } = (await import(BUILT)) as typeof import('../../src/index.js');

export interface RerunRunConfig {
  side: 'record' | 'scripted' | 'rerun';
  /** Model calls in the measured run. */
  calls: number;
  /** Where the run is recorded. */
  db: string;
  /** The rerun side: the database holding the recordings, named `calls-N` (the measured one and the warm-up's). */
  sourceDb?: string;
  /** Runs before the measured one, of WARM_UP_CALLS calls, to warm the JIT and start the writer thread. */
  warmUps: number;
}

export interface RerunRunMeasured {
  /** From `run()` until the recording of the new run was stored. */
  storedMs: number;
  /** The CPU time the process spent meanwhile (user and system, its writer thread's included): steadier than wall time on a busy machine. */
  cpuMs: number;
}

export const WARM_UP_CALLS = 5;
const ANSWER = 'All orders checked.';

/** The application: one agent that looks an order up per call, then answers. */
function ordersAgent(): Agent {
  const lookupOrder = tool({
    name: 'lookup_order',
    description: 'Find an order by its number',
    parameters: z.object({ order: z.string() }),
    execute: async ({ order }) => `order ${order}: shipped`,
  });
  return new Agent({ name: 'Orders', instructions: 'Check every order.', model: 'gpt-4.1', tools: [lookupOrder] });
}

function scriptedProvider(calls: number): ModelProvider {
  const turns = Array.from({ length: calls - 1 }, (_, i) => callTurn('lookup_order', { order: String(1000 + i) }, `call_${i + 1}`));
  const model = new ScriptedModel([...turns, textTurn(ANSWER)]);
  return { getModel: () => model };
}

/** The re-run side must never reach a model: every call is answered from the recording. */
const noModel: ModelProvider = {
  getModel: () => {
    throw new Error('live model call attempted');
  },
};

async function runOnce(config: RerunRunConfig, calls: number): Promise<RerunRunMeasured> {
  const runner =
    config.side === 'rerun'
      ? new RecordingRunner({ tracingDisabled: true, modelProvider: noModel }, { db: config.db, name: `calls-${calls}`, rerun: { run: await sourceRun(config, calls), db: config.sourceDb!, match: 'strict' } })
      : new RecordingRunner({ tracingDisabled: true, modelProvider: scriptedProvider(calls) }, { db: config.db, name: `calls-${calls}` });
  const [start, cpu] = [performance.now(), process.cpuUsage()];
  const result = await runner.run(ordersAgent(), 'Check the orders.', { stream: true, maxTurns: calls + 1 });
  for await (const _event of result);
  await result.completed;
  await recordingStored(result);
  const storedMs = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  if (result.finalOutput !== ANSWER) throw new Error(`the run ended with ${JSON.stringify(result.finalOutput)}`);
  if (!recordedRunId(result)) throw new Error('the run was not recorded');
  return { storedMs, cpuMs: (user + system) / 1000 };
}

async function sourceRun(config: RerunRunConfig, calls: number): Promise<string> {
  const store = await openStore(config.sourceDb!, { readonly: true });
  try {
    const [run] = await store.listRuns({ name: `calls-${calls}`, limit: 1 });
    if (!run) throw new Error(`no recording of ${calls} calls in ${config.sourceDb}`);
    return run.id;
  } finally {
    await store.close();
  }
}

const config = JSON.parse(process.argv[2]!) as RerunRunConfig;
setTracingDisabled(true);
if (config.side === 'record') {
  await runOnce(config, WARM_UP_CALLS);
  await runOnce(config, config.calls);
} else {
  for (let i = 0; i < config.warmUps; i++) await runOnce(config, WARM_UP_CALLS);
  const measured = await runOnce(config, config.calls);
  process.stdout.write(JSON.stringify(measured) + '\n');
}
