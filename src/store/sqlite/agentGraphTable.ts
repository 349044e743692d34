import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { toJsonText } from '../../events/serialize.js';
import type { AgentRecord } from '../types.js';
import type { AgentRow } from './rows.js';

/** The runs whose graph holds an agent of a given name (the one parameter): for a `WHERE pk IN (…)`. */
export const RUNS_WITH_AGENT_NAMED = `SELECT run_pk FROM run_agents WHERE agent IN (SELECT pk FROM agent_descriptions WHERE name = ?)`;

/**
 * Runs' agent graphs as they were at run start (`agent_descriptions` and `run_agents`, schema.ts). Every run of
 * an application describes the same agents (instructions, tool schemas, handoffs), so each distinct
 * description is stored once, addressed by the hash of its columns as stored, and a run's graph is the list of
 * its descriptions; a description goes with the last run that lists it (a trigger). The columns keep the text
 * they always had, byte for byte: they are also the dictionary of the run's capture archive (captureArchive.ts).
 * Called inside the engine's transactions.
 */
export class AgentGraphTable {
  readonly #find: Database.Statement;
  readonly #insertDescription: Database.Statement;
  readonly #insertMember: Database.Statement;
  readonly #read: Database.Statement;

  constructor(db: Database.Database) {
    this.#find = db.prepare(`SELECT pk FROM agent_descriptions WHERE hash = ?`).pluck();
    this.#insertDescription = db
      .prepare(
        `INSERT INTO agent_descriptions (hash, name, instructions, model, handoff_description, tools, handoffs) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING pk`,
      )
      .pluck();
    this.#insertMember = db.prepare(`INSERT INTO run_agents (run_pk, position, agent) VALUES (?, ?, ?)`);
    this.#read = db.prepare(
      `SELECT d.name, d.instructions, d.model, d.handoff_description, d.tools, d.handoffs
       FROM run_agents JOIN agent_descriptions AS d ON d.pk = run_agents.agent WHERE run_agents.run_pk = ? ORDER BY run_agents.position`,
    );
  }

  /** Stores a run's graph, as the records runtape describes agents with. */
  insert(pk: number, agents: readonly AgentRecord[]): void {
    this.insertRows(
      pk,
      agents.map((a) => ({
        name: a.name,
        instructions: a.instructions,
        model: a.model,
        handoff_description: a.handoffDescription,
        tools: toJsonText(a.tools),
        handoffs: toJsonText(a.handoffs),
      })),
    );
  }

  /**
   * Stores a run's graph, its columns as given. A graph names each agent once: of agents sharing a name, the
   * last stands, where it came (as when the graph had one row per run and name, the last one replacing).
   */
  insertRows(pk: number, rows: readonly AgentRow[]): void {
    const lastOfName = new Map(rows.map((row, i) => [row.name, i]));
    let position = 0;
    rows.forEach((row, i) => {
      if (lastOfName.get(row.name) === i) this.#insertMember.run(pk, position++, this.#descriptionPk(row));
    });
  }

  /** A run's graph as stored, in order. */
  read(pk: number): AgentRow[] {
    return this.#read.all(pk) as AgentRow[];
  }

  /** The stored description with these columns, added if none is stored yet. */
  #descriptionPk(row: AgentRow): number {
    const columns = [row.name, row.instructions, row.model, row.handoff_description, row.tools, row.handoffs] as const;
    const hash = createHash('sha256').update(JSON.stringify(columns)).digest();
    return ((this.#find.get(hash) as number | undefined) ?? this.#insertDescription.get(hash, ...columns)) as number;
  }
}
