import type Database from 'better-sqlite3';
import { moveAgentGraphsIntoDescriptions } from './agentGraphMigration.js';
import { moveEventsIntoBlocks } from './eventMigration.js';

/**
 * The database schema, as an ordered list of migrations. `PRAGMA user_version` holds how many have run;
 * a database with a higher number was written by a newer runtape and is refused rather than misread.
 */
export const APPLICATION_ID = 0x72746170; // 'rtap': tells a runtape database from any other SQLite file

/** SQL, then (when a change needs more than SQL) a step in JavaScript, both in the migration's transaction. */
export interface Migration {
  sql: string;
  then?: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  { sql: `
  CREATE TABLE runs (
    pk              INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    name            TEXT,
    status          TEXT NOT NULL,              -- running | completed | error | cancelled | interrupted | incomplete
    started_at      INTEGER NOT NULL,           -- wall clock, epoch ms
    duration_us     INTEGER,                    -- monotonic, set when the run ends
    starting_agent  TEXT,
    last_agent      TEXT,
    input           TEXT,                       -- JSON
    final_output    TEXT,                       -- JSON
    error_name      TEXT,
    error_message   TEXT,
    error_stack     TEXT,
    usage           TEXT,                       -- JSON
    sdk_version     TEXT,
    tags            TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    metadata        TEXT NOT NULL DEFAULT '{}', -- JSON object
    event_count     INTEGER NOT NULL DEFAULT 0,
    recording       TEXT NOT NULL DEFAULT 'complete', -- complete | partial (the store failed during the run)
    recording_error TEXT,
    host            TEXT,                       -- with pid: tells a dead recorder from a live one
    pid             INTEGER
  );
  CREATE INDEX runs_by_start ON runs(started_at);

  -- One row per stream event. t_us is the monotonic offset from run start in microseconds,
  -- so it stays far below 2^53 and reads back as a plain number.
  CREATE TABLE events (
    run_pk  INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    t_us    INTEGER NOT NULL,
    level   TEXT NOT NULL,   -- raw | item | agent; the SDK event type follows from it
    name    TEXT NOT NULL,   -- item name, raw data.type, agent_updated or starting_agent
    agent   TEXT,            -- the active agent when the event arrived
    payload TEXT NOT NULL,   -- the event as JSON
    PRIMARY KEY (run_pk, seq)
  ) WITHOUT ROWID;

  -- The agent graph as it was at run start.
  CREATE TABLE agents (
    run_pk              INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    instructions        TEXT,
    model               TEXT,
    handoff_description TEXT,
    tools               TEXT NOT NULL DEFAULT '[]', -- JSON [{name, type, description, parameters}]
    handoffs            TEXT NOT NULL DEFAULT '[]', -- JSON [{agent, toolName, toolDescription}]
    PRIMARY KEY (run_pk, name)
  );
  ` },
  { sql: `
  ALTER TABLE runs ADD COLUMN gaps TEXT NOT NULL DEFAULT '[]';  -- JSON [{fromSeq, toSeq}]: events the writer lost
  ALTER TABLE runs ADD COLUMN cancelled_by TEXT;                -- signal | consumer, for a cancelled run
  ALTER TABLE runs ADD COLUMN error_details TEXT;               -- JSON: status, code, requestId, cause chain
  ALTER TABLE runs ADD COLUMN run_state TEXT;                   -- an interrupted run's serialized RunState
  ALTER TABLE runs ADD COLUMN resumed_from TEXT;                -- the interrupted run this run resumed

  -- The call ids a run stopped at for approval: a run resumed from its RunState (in any process) names them.
  CREATE TABLE interruptions (
    call_id TEXT PRIMARY KEY,
    run_pk  INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE
  );
  INSERT OR IGNORE INTO interruptions (call_id, run_pk)
    SELECT json_extract(payload, '$.item.rawItem.callId'), run_pk FROM events
    WHERE name = 'tool_approval_requested' AND json_extract(payload, '$.item.rawItem.callId') IS NOT NULL;
  ` },
  {
    sql: `
  -- A run's events in blocks (see eventBlock.ts): one row per written batch, later merged into larger ones.
  -- What filters and seeks need stays outside the compressed data: the seq and time range, the levels
  -- present (bit i for raw, item, agent), and the distinct names and agents, each between newlines.
  CREATE TABLE event_blocks (
    run_pk     INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    first_seq  INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL,
    first_t_us INTEGER NOT NULL,
    last_t_us  INTEGER NOT NULL,
    count      INTEGER NOT NULL,
    levels     INTEGER NOT NULL,
    names      TEXT NOT NULL,
    agents     TEXT NOT NULL,
    codec      INTEGER NOT NULL,  -- how data is compressed
    data       BLOB NOT NULL,
    PRIMARY KEY (run_pk, first_seq)
  ) WITHOUT ROWID;
  -- Seeking by time: offsets never decrease along seq, so neither do the blocks' last offsets.
  CREATE INDEX event_blocks_by_time ON event_blocks(run_pk, last_t_us);
  `,
    then: moveEventsIntoBlocks,
  },
  { sql: `
  -- Wall clock (epoch ms) of the last sign of life from the recorder's writer thread: a run still 'running'
  -- whose heartbeat is stale is incomplete, whatever process now has its pid (another host, container or
  -- PID namespace). Readers derive that; nobody writes 'incomplete'.
  ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER;

  -- Runs an import is still staging, in bounded transactions: invisible to every reader until the import
  -- publishes them (deleting their row here), and removed by a later import when their importer is gone.
  CREATE TABLE pending_imports (
    run_pk       INTEGER PRIMARY KEY REFERENCES runs(pk) ON DELETE CASCADE,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  -- What every reader reads: the runs no import is still staging.
  CREATE VIEW published_runs AS
    SELECT * FROM runs WHERE NOT EXISTS (SELECT 1 FROM pending_imports WHERE pending_imports.run_pk = runs.pk);
  ` },
  { sql: `
  -- 1 when the recorder captured what each agent saw (a RecordingRunner's run); 0 for a run record() wrapped
  -- after it had started, and for runs an older runtape recorded.
  ALTER TABLE runs ADD COLUMN captured INTEGER NOT NULL DEFAULT 0;

  -- What capture modules saw, per run and kind (modelCall, handoff, toolCall, guardrail, span), numbered
  -- from 1 in the order captured. Item lists in a record hold item numbers of capture_items.
  CREATE TABLE captures (
    run_pk INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    kind   TEXT NOT NULL,
    n      INTEGER NOT NULL,
    record TEXT NOT NULL,  -- JSON
    PRIMARY KEY (run_pk, kind, n)
  ) WITHOUT ROWID;

  -- Each distinct conversation item of a run, once (a request repeats the conversation so far).
  CREATE TABLE capture_items (
    run_pk INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    n      INTEGER NOT NULL,
    item   TEXT NOT NULL,  -- JSON
    PRIMARY KEY (run_pk, n)
  ) WITHOUT ROWID;

  -- A finished run's captures and items, packed together and compressed (captureArchive.ts): the loose rows
  -- above hold a run's captures while it is recorded, and move here when it ends.
  CREATE TABLE capture_archives (
    run_pk INTEGER PRIMARY KEY REFERENCES runs(pk) ON DELETE CASCADE,
    codec  INTEGER NOT NULL,
    data   BLOB NOT NULL
  );
  ` },
  { sql: `
  -- A run an agent used as a tool ran inside another run (a child run): the run and the tool call that started
  -- it. Null for a top-level run.
  ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
  ALTER TABLE runs ADD COLUMN parent_call_id TEXT;
  CREATE INDEX runs_by_parent ON runs(parent_run_id) WHERE parent_run_id IS NOT NULL;
  ` },
  {
    sql: `
  -- The agent graph as it was at run start, each distinct agent description stored once whichever runs list it
  -- (runs of one application repeat the same graph; stored per run, graphs were the largest part of a database
  -- of short runs). hash: SHA-256 of the JSON array of the other columns as stored (agentGraphTable.ts).
  CREATE TABLE agent_descriptions (
    pk                  INTEGER PRIMARY KEY,
    hash                BLOB NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    instructions        TEXT,
    model               TEXT,
    handoff_description TEXT,
    tools               TEXT NOT NULL, -- JSON [{name, type, description, parameters}]
    handoffs            TEXT NOT NULL  -- JSON [{agent, toolName, toolDescription}]
  );
  -- A run's graph: its agents' descriptions in order, the starting agent first.
  CREATE TABLE run_agents (
    run_pk   INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    agent    INTEGER NOT NULL REFERENCES agent_descriptions(pk),
    PRIMARY KEY (run_pk, position)
  ) WITHOUT ROWID;
  CREATE INDEX run_agents_by_agent ON run_agents(agent);
  -- A description goes with the last run that lists it.
  CREATE TRIGGER agent_description_unused AFTER DELETE ON run_agents
    WHEN NOT EXISTS (SELECT 1 FROM run_agents WHERE agent = OLD.agent)
  BEGIN
    DELETE FROM agent_descriptions WHERE pk = OLD.agent;
  END;
  `,
    then: moveAgentGraphsIntoDescriptions,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
