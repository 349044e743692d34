/**
 * Agent graphs (src/store/sqlite/agentGraphTable.ts): runs that describe the same agents share one stored
 * description each, which stays while any run lists it and goes with the last, however the run goes (`rm`, a
 * failed import); a run's graph reads back as it was given.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { newRunId } from '../src/store/runStore.js';
import type { AgentRecord } from '../src/store/types.js';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();

function count(db: string, table: 'agent_descriptions' | 'run_agents'): number {
  const raw = new Database(db, { readonly: true });
  try {
    return raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    raw.close();
  }
}

function agent(name: string, instructions: string): AgentRecord {
  return { name, instructions, model: 'gpt-4.1', handoffDescription: null, tools: [{ name: 'look_up', type: 'function', parameters: { type: 'object' } }], handoffs: [] };
}

describe('agent graphs', () => {
  it('are shared by the runs that describe the same agents; a description goes with the last run that lists it', () => {
    const db = join(tempDir(), 'runs.db');
    expect(runCli(['demo', '--pace', '0', '--quiet'], { db }).status).toBe(0);
    const runs = JSON.parse(runCli(['ls', '--json'], { db }).stdout) as { id: string }[];
    expect(runs).toHaveLength(3);
    expect(count(db, 'run_agents')).toBe(9);
    expect(count(db, 'agent_descriptions')).toBe(3);
    const billing = JSON.parse(runCli(['ls', '--json', '--agent', 'Billing Agent'], { db }).stdout) as { id: string }[];
    expect(billing.map((r) => r.id)).toEqual(runs.map((r) => r.id));
    const last = runs.at(-1)!.id;
    const shown = runCli(['show', '--json', last], { db }).stdout;

    expect(runCli(['rm', runs[0]!.id, runs[1]!.id], { db }).status).toBe(0);
    expect(count(db, 'agent_descriptions')).toBe(3);
    expect(runCli(['show', '--json', last], { db }).stdout).toBe(shown);
    expect(runCli(['rm', last], { db }).status).toBe(0);
    expect(count(db, 'run_agents')).toBe(0);
    expect(count(db, 'agent_descriptions')).toBe(0);
    expect(JSON.parse(runCli(['ls', '--json', '--agent', 'Billing Agent'], { db }).stdout)).toEqual([]);
  });

  it('read back as given; an agent named twice keeps the last of the two, where it came (as one row per name did)', async () => {
    const store = await openStore(join(tempDir(), 'runs.db'));
    try {
      const started = { name: null, startedAt: Date.now(), startingAgent: 'Triage', input: 'hi', sdkVersion: null, tags: [], metadata: {} };
      const graph = [agent('Triage', 'Route.'), agent('Orders', 'Look orders up.'), agent('Refunds', 'Refund.')];
      const first = newRunId();
      await store.createRun({ ...started, id: first, agents: graph });
      expect(await store.agents(first)).toEqual(graph);
      const second = newRunId();
      await store.createRun({ ...started, id: second, agents: [graph[0]!, agent('Orders', 'An older Orders.'), graph[2]!, graph[1]!] });
      expect(await store.agents(second)).toEqual([graph[0], graph[2], graph[1]]);
      expect((await store.listRuns({ agent: 'Refunds' })).map((r) => r.id).sort()).toEqual([first, second].sort());
    } finally {
      await store.close();
    }
  });

  it('an import that fails leaves none of its descriptions behind, and the ones other runs share in place', () => {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    expect(runCli(['demo', '--pace', '0', '--quiet', '--scenario', 'annual-plan-quote'], { db }).status).toBe(0);
    const lines = runCli(['export', 'last'], { db }).stdout.trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as { run: { id: string }; agents: AgentRecord[] };
    header.run.id = 'abcdef0123456789';
    header.agents[1]!.instructions = 'Instructions no other run has.';
    const file = join(dir, 'broken.jsonl');
    writeFileSync(file, [JSON.stringify(header), ...lines.slice(1, 5), '{"seq": "not a number"}'].join('\n') + '\n');
    const imported = runCli(['import', file], { db });
    expect(imported.status).not.toBe(0);
    expect(imported.stderr).toMatch(/broken\.jsonl:6: .*nothing was imported/);
    expect(count(db, 'run_agents')).toBe(3);
    expect(count(db, 'agent_descriptions')).toBe(3);
    expect(runCli(['show', 'last'], { db }).status).toBe(0);
  });
});
