import type Database from 'better-sqlite3';
import { AgentGraphTable } from './agentGraphTable.js';
import type { AgentRow } from './rows.js';

/**
 * Schema 7: each run's graph, stored per run in `agents` (one row per run and agent, in rowid order), moves into
 * shared descriptions, its columns' text unchanged (old capture archives are deflated against it), then the old
 * table goes. Runs in the migration's transaction: the database has either every graph moved, or `agents` untouched.
 */
export function moveAgentGraphsIntoDescriptions(db: Database.Database): void {
  const graphs = new AgentGraphTable(db);
  const runs = db.prepare(`SELECT DISTINCT run_pk FROM agents ORDER BY run_pk`).pluck().all() as number[];
  const graph = db.prepare(`SELECT name, instructions, model, handoff_description, tools, handoffs FROM agents WHERE run_pk = ? ORDER BY rowid`);
  for (const pk of runs) graphs.insertRows(pk, graph.all(pk) as AgentRow[]);
  db.exec(`DROP TABLE agents`);
}
