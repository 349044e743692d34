import { RuntapeError } from '../errors.js';
import { sanitizeLine } from '../events/sanitize.js';
import { readRecordedRun, type RecordedRun } from '../rerun/recordedRun.js';
import { diffRuns, type RunDiff } from '../rerun/runDiff.js';
import type { RunStore } from '../store/runStore.js';
import { DIFF_KEYS, runBoundAction, type DiffAction, type KeyName } from './keys.js';
import type { Page, PageHost } from './page.js';
import { columnsLine, diffRows, rowLines, rowStarts, type DiffRow } from './views/runDiffView.js';
import { span, type Line } from './views/styled.js';
import { Pane } from './widgets/pane.js';
import { RunsView } from './widgets/runsView.js';

/**
 * Two runs side by side, call by call, compared as `runtape diff` compares them; the rows where it found a
 * difference are highlighted. The rows are held (a few per call); only the lines in view go to the screen.
 */
export class DiffPage implements Page {
  readonly help = { title: 'Compare', bindings: DIFF_KEYS };
  readonly #host: PageHost;
  readonly #a: RecordedRun;
  readonly #b: RecordedRun;
  readonly #diff: RunDiff;
  readonly #rows: DiffRow[];
  readonly #view: RunsView;
  readonly #actions: Record<DiffAction, () => void | Promise<void>>;
  /** The first line in view. */
  #top = 0;
  /** Where each row starts, for the width they were laid out at. */
  #layout: { width: number; starts: number[] } | undefined;

  /** The page, with both runs read and compared. */
  static async open(host: PageHost, aRunId: string, bRunId: string): Promise<DiffPage> {
    const [a, b] = [await readRun(host.store, aRunId), await readRun(host.store, bRunId)];
    return new DiffPage(host, a, b);
  }

  private constructor(host: PageHost, a: RecordedRun, b: RecordedRun) {
    this.#host = host;
    this.#a = a;
    this.#b = b;
    this.#diff = diffRuns(a, b);
    this.#rows = diffRows(a, b, this.#diff);
    this.#view = new RunsView(host.screen);
    this.#actions = {
      down: () => this.#scrollBy(1),
      up: () => this.#scrollBy(-1),
      pageDown: () => this.#scrollBy(this.#height() - 1),
      pageUp: () => this.#scrollBy(-(this.#height() - 1)),
      start: () => void (this.#top = 0),
      end: () => void (this.#top = Number.MAX_SAFE_INTEGER),
      nextDifference: () => this.#toDifference(1),
      previousDifference: () => this.#toDifference(-1),
      back: () => host.openRuns(),
    };
  }

  handleKey(key: KeyName): Promise<boolean> {
    return runBoundAction(DIFF_KEYS, this.#actions, key);
  }

  render(): void {
    const rect = this.#view.tableRect;
    const starts = this.#starts(rect.width);
    const height = Pane.bodyHeight(rect);
    this.#top = Math.max(0, Math.min(this.#top, starts.at(-1)! - height));
    const lines: Line[] = [];
    for (let row = rowAtLine(starts, this.#top); row < this.#rows.length && lines.length < height; row++) {
      const skip = Math.max(0, this.#top - starts[row]!);
      lines.push(...rowLines(this.#rows[row]!, rect.width).slice(skip, skip + height - lines.length));
    }
    const side = (letter: string, run: RecordedRun) => `${letter} ${run.run.id.slice(0, 8)} ${run.run.name ?? '(unnamed run)'}`;
    this.#view.draw({ header: this.#header(), columns: columnsLine(side('A', this.#a), side('B', this.#b), rect.width), rows: lines });
  }

  footer(): Line {
    const total = this.#layout?.starts.at(-1) ?? 0;
    return [span(` ↑↓ scroll  n/N next/previous difference  Esc back   line ${Math.min(total, this.#top + 1)} of ${total}`, { fg: 'gray' })];
  }

  destroy(): void {
    this.#view.destroy();
  }

  #header(): Line {
    const [a, b] = [this.#a.run.id.slice(0, 8), this.#b.run.id.slice(0, 8)];
    const count = this.#diff.differences.length;
    return [
      span(' compare ', { bold: true }),
      span(`  A ${a}  B ${b}  ·  `),
      this.#diff.equal
        ? span(`runs ${a} and ${b} are equal`, { fg: 'green', bold: true })
        : span(`runs ${a} and ${b} differ (${count} ${count === 1 ? 'difference' : 'differences'}, marked ≠)`, { fg: 'yellow', bold: true }),
      span(`  ·  ${sanitizeLine(this.#host.store.location)}`),
    ];
  }

  #height(): number {
    return Pane.bodyHeight(this.#view.tableRect);
  }

  #starts(width: number): number[] {
    if (this.#layout?.width !== width) this.#layout = { width, starts: rowStarts(this.#rows, width) };
    return this.#layout.starts;
  }

  #scrollBy(lines: number): void {
    this.#top = Math.max(0, this.#top + lines);
  }

  /** Scrolls the next (or previous) differing row to the top, as far as the rows go; with none left to scroll to, says so. */
  #toDifference(direction: 1 | -1): void {
    const starts = this.#starts(this.#view.tableRect.width);
    const lastTop = Math.max(0, starts.at(-1)! - this.#height());
    const differing = this.#rows.flatMap((row, i) => (row.difference ? [Math.min(starts[i]!, lastTop)] : []));
    const target = direction > 0 ? differing.find((line) => line > this.#top) : differing.findLast((line) => line < this.#top);
    if (target === undefined) return this.#host.say(differing.length === 0 ? 'the runs are equal' : `no ${direction > 0 ? 'further' : 'earlier'} difference`);
    this.#top = target;
  }
}

async function readRun(store: RunStore, runId: string): Promise<RecordedRun> {
  const run = await store.getRun(runId);
  if (!run) throw new RuntapeError(`no run ${runId} in ${store.location}`);
  return readRecordedRun(store, run);
}

/** The row that holds `line` (the last row starting at or before it). */
function rowAtLine(starts: readonly number[], line: number): number {
  let [low, high] = [0, starts.length - 2];
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= line) low = mid;
    else high = mid - 1;
  }
  return Math.max(0, low);
}
