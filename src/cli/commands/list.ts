import { terminalSafeJson } from '../../events/sanitize.js';
import type { RunStore } from '../../store/runStore.js';
import { RUN_STATUSES, type RunFilter, type RunStatus } from '../../store/types.js';
import { RuntapeError } from '../../errors.js';
import { formatAgentSpan, formatDuration, formatResumedFrom, formatRunStatus, formatStart, formatTable, formatUnreadable } from '../../display/format.js';
import { formatParentRun, nestChildRuns, nestedName } from '../../display/runTree.js';
import { parseSince } from '../parseSince.js';

export interface ListOptions {
  status?: string;
  agent?: string;
  name?: string;
  since?: string;
  tag?: string;
  limit?: string;
  json?: boolean;
}

export function runFilterFrom(options: ListOptions): RunFilter {
  const filter: RunFilter = {};
  if (options.status !== undefined) {
    if (!(RUN_STATUSES as readonly string[]).includes(options.status)) {
      throw new RuntapeError(`--status: unknown status "${options.status}" (expected ${RUN_STATUSES.join(', ')})`);
    }
    filter.status = options.status as RunStatus;
  }
  if (options.agent !== undefined) filter.agent = options.agent;
  if (options.name !== undefined) filter.name = options.name;
  if (options.tag !== undefined) filter.tag = options.tag;
  if (options.since !== undefined) filter.since = parseSince(options.since);
  if (options.limit !== undefined) {
    const limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new RuntapeError(`--limit: expected a positive whole number, got "${options.limit}"`);
    filter.limit = limit;
  }
  return filter;
}

export async function listCommand(store: RunStore, options: ListOptions, print: (text: string) => void): Promise<void> {
  const runs = await store.listRuns(runFilterFrom(options));
  if (options.json) {
    print(terminalSafeJson(JSON.stringify(runs, null, 2)));
    return;
  }
  if (runs.length === 0) {
    print(`no runs in ${store.location}${Object.keys(runFilterFrom(options)).length ? ' match' : ' yet (try: runtape demo)'}`);
    return;
  }
  // A run resumed from another's RunState names it: the chain of an approval reads down the list. The column is
  // there only when a listed run has one, so that lists without resumed runs keep their width.
  const resumes = runs.some((run) => run.resumedFrom);
  // A child run (an agent used as a tool) is listed below the run that started it, indented, and names it.
  const parents = runs.some((run) => run.parentRunId);
  const rows = nestChildRuns(runs).map(({ run, depth }) => [
    run.id.slice(0, 8),
    nestedName(run.name ?? '—', depth),
    formatRunStatus(run) + formatUnreadable(run),
    formatStart(run.startedAt),
    formatDuration(run.durationUs),
    formatAgentSpan(run),
    String(run.eventCount),
    ...(resumes ? [formatResumedFrom(run) || '—'] : []),
    ...(parents ? [formatParentRun(run) || '—'] : []),
  ]);
  const header = ['ID', 'NAME', 'STATUS', 'STARTED', 'DURATION', 'AGENTS', 'EVENTS', ...(resumes ? ['RESUMES'] : []), ...(parents ? ['PARENT'] : [])];
  print(formatTable(header, rows, [8, 40, 48, 19, 12, 50, 10, ...(resumes ? [8] : []), 8]));
}
