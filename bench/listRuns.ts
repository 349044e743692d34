import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createDemoRun } from '../src/demo/index.js';
import { describeAgentGraph } from '../src/recorder/agentGraph.js';
import { openStore } from '../src/store/openStore.js';
import { newRunId } from '../src/store/runStore.js';
import { SqliteEngine } from '../src/store/sqlite/sqliteEngine.js';
import type { Benchmark, BenchContext, Figure } from './benchmark.js';
import { buildCli } from './cli.js';
import { pairedRatios, summarize, timeMs } from './stats.js';

const RUNS = 10_000;
const REPETITIONS = 5;

/**
 * `count` finished runs that look like the demo's: the same agent graph (4 agents, their tools), usage, an answer.
 * Written through the SQLite engine in one transaction: the setup, not what is measured.
 */
function storeRuns(path: string, count: number): void {
  const agents = describeAgentGraph(createDemoRun('duplicate-charge-and-outage', { pace: 0 }).startingAgent);
  const store = SqliteEngine.open(path);
  try {
    store.writeTransaction(() => {
      for (let i = 0; i < count; i++) {
        const id = newRunId();
        const input = `Customer ${i}: I was charged twice this month and the API is slow.`;
        const startingAgent = agents[0]!.name;
        store.createRun({ id, name: `checkout flow ${i}`, startedAt: Date.now() - i * 60_000, startingAgent, input, sdkVersion: '0.20.0', tags: ['staging'], metadata: { customer: i }, agents });
        store.finishRun(id, {
          status: 'completed',
          durationUs: 4_200_000,
          lastAgent: agents.at(-1)!.name,
          finalOutput: 'Refund issued for the duplicate charge; the API latency is a known incident.',
          error: null,
          usage: { requests: 5, inputTokens: 2400, outputTokens: 380, totalTokens: 2780 },
        });
      }
    });
  } finally {
    store.close();
  }
}

/** Wall time of one `runtape ls` process, as a person would run it (output into a pipe, as into a pager). */
async function cliMs(cli: string, db: string, args: string[], expectedLines: number): Promise<number> {
  let lines = 0;
  const ms = await timeMs(() => {
    const out = spawnSync(process.execPath, [cli, '--db', db, 'ls', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (out.status !== 0) throw new Error(`runtape ls failed: ${out.stderr}`);
    lines = out.stdout.trimEnd().split('\n').length;
  });
  if (lines !== expectedLines) throw new Error(`runtape ls ${args.join(' ')} printed ${lines} lines, expected ${expectedLines}`);
  return ms;
}

function cliFigure(name: string, value: number[], baseline: number[], note: string): Figure {
  return {
    name,
    unit: 'ms',
    value: summarize(value),
    baseline: { name: '`ls`, 1 run', value: summarize(baseline) },
    ratio: summarize(pairedRatios(value, baseline)),
    note,
  };
}

/** Listing a big database: the store call, and the command a person types (a process of its own). */
export const listRuns: Benchmark = {
  name: 'ls',
  async run(context: BenchContext) {
    const runs = context.size(RUNS);
    context.log('  building the CLI');
    const cli = buildCli(context.tempDir());
    const [many, one] = [join(context.tempDir(), 'many.db'), join(context.tempDir(), 'one.db')];
    storeRuns(many, runs);
    storeRuns(one, 1);

    const store = await openStore(many, { readonly: true });
    const inProcess: number[] = [];
    try {
      for (let i = 0; i < REPETITIONS; i++) {
        inProcess.push(await timeMs(async () => {
          if ((await store.listRuns()).length !== runs) throw new Error('listRuns lost runs');
        }));
      }
    } finally {
      await store.close();
    }
    const [all, limited, baseline]: number[][] = [[], [], []];
    for (let i = 0; i < REPETITIONS; i++) {
      baseline.push(await cliMs(cli, one, [], 2));
      all.push(await cliMs(cli, many, [], runs + 1));
      limited.push(await cliMs(cli, many, ['--limit', '20'], 21));
    }
    const label = runs.toLocaleString('en');
    return [
      { name: `store.listRuns(), ${label} runs`, unit: 'ms', value: summarize(inProcess), note: `${REPETITIONS} calls on one open store` },
      cliFigure(`\`runtape ls\`, ${label} runs`, all, baseline, `process wall time, ${REPETITIONS} runs each`),
      cliFigure(`\`runtape ls --limit 20\`, ${label} runs`, limited, baseline, `process wall time, ${REPETITIONS} runs each`),
    ];
  },
};
