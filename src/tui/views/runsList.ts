import { formatAgentSpan, formatDuration, formatResumedFrom, formatRunStatus, formatStart, formatUnreadable } from '../../display/format.js';
import { formatParentRun, nestChildRuns, nestedName, type RunRow } from '../../display/runTree.js';
import { sanitizeLine } from '../../events/sanitize.js';
import type { RunRecord, RunStatus } from '../../store/types.js';
import { span, type Colour, type Line } from './styled.js';
import { fitWidth } from './width.js';

interface Column {
  title: string;
  /** `depth`: how far below the run that started it a child run is listed (0: a run of its own). */
  cell: (run: RunRecord, depth: number) => string;
  /** Cells wide; or `share`: a part of what the fixed columns leave. */
  width?: number;
  share?: number;
  /** Left out on a narrow terminal. */
  optional?: boolean;
  /** Only there when some run of the list is a child run, so that other lists keep their width. */
  forChildRuns?: boolean;
}

const COLUMNS: readonly Column[] = [
  { title: 'ID', width: 8, cell: (run) => run.id.slice(0, 8) },
  // The status column is narrow: a run's unreadable columns are marked after its name.
  { title: 'NAME', share: 0.45, cell: (run, depth) => nestedName(run.name ?? '—', depth) + formatUnreadable(run) },
  { title: 'STATUS', width: 12, cell: formatRunStatus },
  { title: 'STARTED', width: 19, optional: true, cell: (run) => formatStart(run.startedAt) },
  { title: 'DURATION', width: 9, cell: (run) => formatDuration(run.durationUs) },
  { title: 'AGENTS', share: 0.55, cell: formatAgentSpan },
  { title: 'EVENTS', width: 8, cell: (run) => String(run.eventCount) },
  // The run this one resumed from its RunState (interrupted for approval): the chain reads down the list. A narrow
  // terminal still finds it by filtering on the run's id, and in the run page's header.
  { title: 'RESUMES', width: 8, optional: true, cell: formatResumedFrom },
  // The run whose tool call started a child run (an agent used as a tool): listed below it, and named here.
  { title: 'PARENT', width: 8, optional: true, forChildRuns: true, cell: formatParentRun },
];

/** Below this width the optional columns go, so that names and agents keep some room. */
const ALL_COLUMNS_FROM = 110;

/**
 * Whether a run matches what was typed: every word must occur in its id, name, status, agents or tags, or the
 * id of the run it resumed or of its parent run (so an id shows that run, the runs that continued it, and its
 * child runs).
 */
export function runMatches(run: RunRecord, filter: string): boolean {
  const haystack = [run.id, run.name ?? '', run.status, run.startingAgent ?? '', run.lastAgent ?? '', ...run.tags, run.resumedFrom ?? '', run.parentRunId ?? '']
    .join('\n')
    .toLowerCase();
  return filter
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/**
 * The runs view's state: the runs (newest first), the filter being typed, and the selection, which
 * follows its run (not its row) when the list is reloaded or filtered.
 */
export class RunsList {
  #runs: RunRecord[] = [];
  #filter = '';
  #selectedId: string | undefined;
  /** Runs marked for comparing, the older mark first; two at most. */
  #marked: string[] = [];
  #top = 0;
  /** Counts reloads begun: one that ends after a later one began is older than it, and dropped. */
  #loads = 0;

  /** Empty until the first `reload()`. */
  constructor(private readonly load: () => Promise<RunRecord[]>) {}

  async reload(): Promise<void> {
    const load = ++this.#loads;
    const runs = await this.load();
    if (load !== this.#loads) return;
    this.#runs = runs;
    this.#marked = this.#marked.filter((id) => runs.some((run) => run.id === id));
    this.#keepSelection();
  }

  get filter(): string {
    return this.#filter;
  }

  setFilter(text: string): void {
    this.#filter = text;
    this.#keepSelection();
  }

  /** The runs that match the filter, each child run below the run that started it. */
  get visible(): RunRecord[] {
    return this.#rows().map((row) => row.run);
  }

  /** Whether any run (filtered out or not) is a child run: the list then has a PARENT column. */
  get hasChildRuns(): boolean {
    return this.#runs.some((run) => run.parentRunId !== null);
  }

  /** How deep each visible run is listed below the run that started it. */
  get depths(): ReadonlyMap<string, number> {
    return new Map(this.#rows().map((row) => [row.run.id, row.depth]));
  }

  #rows(): RunRow<RunRecord>[] {
    return nestChildRuns(this.#runs.filter((run) => runMatches(run, this.#filter)));
  }

  get total(): number {
    return this.#runs.length;
  }

  get selected(): RunRecord | undefined {
    return this.visible.find((run) => run.id === this.#selectedId);
  }

  /** The runs that fit `height` rows, scrolled so the selected one is among them. */
  window(height: number): RunRecord[] {
    const visible = this.visible;
    const index = Math.max(0, visible.findIndex((run) => run.id === this.#selectedId));
    this.#top = Math.max(0, Math.min(this.#top, index, visible.length - height));
    if (index >= this.#top + height) this.#top = index - height + 1;
    return visible.slice(this.#top, this.#top + height);
  }

  move(delta: number): void {
    const visible = this.visible;
    const index = visible.findIndex((run) => run.id === this.#selectedId);
    const next = visible[Math.max(0, Math.min(visible.length - 1, index + delta))];
    this.#selectedId = next?.id;
  }

  /** The ids of the marked runs, the older mark first. */
  get marked(): readonly string[] {
    return this.#marked;
  }

  /** Marks the selected run, or unmarks it; a third mark replaces the older of two. */
  toggleMark(): void {
    const id = this.#selectedId;
    if (id === undefined) return;
    this.#marked = this.#marked.includes(id) ? this.#marked.filter((m) => m !== id) : [...this.#marked, id].slice(-2);
  }

  #keepSelection(): void {
    const visible = this.visible;
    if (!visible.some((run) => run.id === this.#selectedId)) this.#selectedId = visible[0]?.id;
  }
}

export const STATUS_COLOURS: Record<RunStatus, Colour> = {
  running: 'light-red',
  completed: 'green',
  error: 'red',
  cancelled: 'yellow',
  interrupted: 'yellow',
  incomplete: 'yellow',
};

/** The columns that fit `width`, with their widths: fixed ones for ids, times and counts; name and agents share the rest. */
function columnsFor(width: number, childRuns: boolean): { column: Column; width: number }[] {
  const columns = COLUMNS.filter((c) => (!c.optional || width >= ALL_COLUMNS_FROM) && (!c.forChildRuns || childRuns));
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  const rest = Math.max(20, width - 3 - 2 * (columns.length - 1) - fixed);
  return columns.map((column) => ({ column, width: column.width ?? Math.floor(rest * column.share!) }));
}

/** The marks of runs marked for comparing, in the order they were marked: the diff's left and right side. */
export const MARK_LETTERS = ['A', 'B'] as const;

/**
 * The runs table: a header line and one line per run, each exactly `width` cells, the selected one inverted, a
 * marked one lettered (A, B) in the order of `marked`, a child run indented by its depth (with a PARENT column
 * when `childRuns`). Recorded text is sanitized.
 */
export function runsTable(
  runs: readonly RunRecord[],
  selectedId: string | undefined,
  width: number,
  { depths = new Map(), childRuns = false, marked = [] }: { depths?: ReadonlyMap<string, number>; childRuns?: boolean; marked?: readonly string[] } = {},
): { header: Line; rows: Line[] } {
  const columns = columnsFor(width, childRuns);
  const fit = (texts: readonly string[]) => texts.map((text, i) => fitWidth(sanitizeLine(text), columns[i]!.width));
  const used = 3 + columns.reduce((sum, c) => sum + c.width, 0) + 2 * (columns.length - 1);
  const pad = ' '.repeat(Math.max(0, width - used));
  return {
    header: [span('   ' + fit(columns.map((c) => c.column.title)).join('  ') + pad)],
    rows: runs.map((run) => {
      const base = run.id === selectedId ? { inverse: true, bold: true } : {};
      const cells = fit(columns.map((c) => c.column.cell(run, depths.get(run.id) ?? 0)));
      const mark = MARK_LETTERS[marked.indexOf(run.id)];
      return [
        span(run.id === selectedId ? '▶' : ' ', base),
        span(mark ?? ' ', { ...base, fg: 'magenta', bold: true }),
        span(' ', base),
        ...cells.flatMap((cell, i) => [
          span(cell, columns[i]!.column.title === 'STATUS' ? { ...base, fg: STATUS_COLOURS[run.status] } : base),
          span(i < cells.length - 1 ? '  ' : pad, base),
        ]),
      ];
    }),
  };
}
