import type { RunRecord } from '../store/types.js';

type TreeRun = Pick<RunRecord, 'id' | 'parentRunId' | 'startedAt'>;

/** A run in a list of runs, with how deep it sits below the runs that started it (0: a run of its own). */
export interface RunRow<T> {
  run: T;
  depth: number;
}

/**
 * A list of runs (newest first) with each child run (an agent used as a tool) moved right below the run that
 * started it, its own children below it in turn, siblings in the order they started (their tool calls'). A
 * child whose parent is not in the list (filtered out, past the limit) keeps its place, at depth 0.
 */
export function nestChildRuns<T extends TreeRun>(runs: readonly T[]): RunRow<T>[] {
  const listed = new Set(runs.map((run) => run.id));
  const children = new Map<string, T[]>();
  for (const run of runs) {
    if (run.parentRunId === null || !listed.has(run.parentRunId) || run.parentRunId === run.id) continue;
    const siblings = children.get(run.parentRunId) ?? [];
    siblings.push(run);
    children.set(run.parentRunId, siblings);
  }
  const rows: RunRow<T>[] = [];
  const placed = new Set<string>();
  const place = (run: T, depth: number): void => {
    // A cycle cannot be recorded, but an imported file could claim one: each run is placed once.
    if (placed.has(run.id)) return;
    placed.add(run.id);
    rows.push({ run, depth });
    // Oldest first; runs started in the same millisecond (side by side) in the order they were created, which a
    // list newest first gives backwards.
    const own = (children.get(run.id) ?? []).slice().reverse().sort((a, b) => a.startedAt - b.startedAt);
    for (const child of own) place(child, depth + 1);
  };
  for (const run of runs) {
    const nested = run.parentRunId !== null && listed.has(run.parentRunId) && run.parentRunId !== run.id;
    if (!nested) place(run, 0);
  }
  // Runs only reachable through a cycle of parents: listed where they are, rather than lost.
  for (const run of runs) place(run, 0);
  return rows;
}

/** A run's name in a nested list: a child's is indented below its parent's and marked `└ `. */
export function nestedName(name: string, depth: number): string {
  return depth === 0 ? name : `${'  '.repeat(depth - 1)}└ ${name}`;
}

/** The run that started a child run, by the short id lists show; '' for a run of its own. */
export function formatParentRun(run: Pick<RunRecord, 'parentRunId'>): string {
  return run.parentRunId?.slice(0, 8) ?? '';
}
