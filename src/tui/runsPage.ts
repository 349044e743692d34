import { sanitizeLine } from '../events/sanitize.js';
import { RUNS_KEYS, runBoundAction, type KeyName, type RunsAction } from './keys.js';
import type { Page, PageHost } from './page.js';
import { runsTable, type RunsList } from './views/runsList.js';
import { span, type Line } from './views/styled.js';
import { Pane } from './widgets/pane.js';
import { RunsView } from './widgets/runsView.js';

/** How often the list is re-read while shown: runs being recorded appear and grow. */
const RELOAD_MS = 2000;

/** The runs view: the recorded runs, newest first; filter, open, delete. */
export class RunsPage implements Page {
  readonly help = { title: 'Runs', bindings: RUNS_KEYS };
  readonly #host: PageHost;
  readonly #list: RunsList;
  readonly #view: RunsView;
  readonly #reload: NodeJS.Timeout;
  readonly #actions: Record<RunsAction, () => void | Promise<void>>;

  /** The page, with the runs read. */
  static async open(host: PageHost, list: RunsList): Promise<RunsPage> {
    await list.reload();
    return new RunsPage(host, list);
  }

  private constructor(host: PageHost, list: RunsList) {
    this.#host = host;
    this.#list = list;
    this.#view = new RunsView(host.screen);
    this.#reload = setInterval(() => {
      this.#list.reload().then(
        () => host.requestRender(),
        (error: unknown) => host.fail(error),
      );
    }, RELOAD_MS);
    this.#reload.unref();
    this.#actions = {
      down: () => this.#list.move(1),
      up: () => this.#list.move(-1),
      open: () => this.#open(),
      filter: () => this.#filter(),
      delete: () => this.#delete(),
      mark: () => this.#list.toggleMark(),
      compare: () => this.#compare(),
    };
  }

  handleKey(key: KeyName): Promise<boolean> {
    return runBoundAction(RUNS_KEYS, this.#actions, key);
  }

  render(): void {
    const rect = this.#view.tableRect;
    const runs = this.#list.window(Pane.bodyHeight(rect));
    const table = runsTable(runs, this.#list.selected?.id, rect.width, { depths: this.#list.depths, childRuns: this.#list.hasChildRuns, marked: this.#list.marked });
    const total = `${this.#list.total} run${this.#list.total === 1 ? '' : 's'}`;
    const shown = this.#list.filter ? `${this.#list.visible.length} of ${total} match "${sanitizeLine(this.#list.filter)}"` : total;
    const rows: Line[] = table.rows.length
      ? table.rows
      : [[span(this.#list.total ? '  no run matches the filter (esc clears it)' : '  no runs recorded yet: record one with `runtape demo` or `runtape record`', { fg: 'gray' })]];
    this.#view.draw({
      header: [span(' runtape ', { bold: true }), span(`  ${sanitizeLine(this.#host.store.location)}  ·  ${shown}`)],
      columns: table.header,
      rows,
    });
  }

  footer(): Line {
    return [span(' ↑↓ select  Enter open  / filter  x delete  m mark  d compare marked', { fg: 'gray' })];
  }

  destroy(): void {
    clearInterval(this.#reload);
    this.#view.destroy();
  }

  async #open(): Promise<void> {
    const run = this.#list.selected;
    if (run) await this.#host.openRun(run.id);
  }

  /** The two marked runs side by side; with one marked, it and the selected run. */
  async #compare(): Promise<void> {
    const marked = this.#list.marked;
    const selected = this.#list.selected?.id;
    const [a, b] = marked.length === 1 && selected !== undefined && selected !== marked[0] ? [marked[0]!, selected] : marked;
    if (a === undefined || b === undefined) return this.#host.say('to compare runs, mark two with m (or mark one and select the other), then press d');
    await this.#host.openDiff(a, b);
  }

  #filter(): void {
    const before = this.#list.filter;
    this.#host.ask({
      kind: 'line',
      label: 'filter runs:',
      value: before,
      onChange: (value) => this.#list.setFilter(value),
      // Enter on a filter that leaves runs opens the selected one: type a few letters, Enter, done.
      onSubmit: () => this.#open(),
      onCancel: () => this.#list.setFilter(''),
      onOtherKey: (key) => {
        if (key === 'down' || key === 'up') this.#list.move(key === 'down' ? 1 : -1);
      },
    });
  }

  #delete(): void {
    const run = this.#list.selected;
    if (!run) return;
    const still = run.status === 'running' ? ' It is still being recorded!' : '';
    this.#host.ask({
      kind: 'confirm',
      question: `Delete run ${run.id.slice(0, 8)} "${sanitizeLine(run.name ?? '')}" (${run.eventCount} events)?${still}`,
      onYes: async () => {
        await this.#host.store.deleteRun(run.id);
        await this.#list.reload();
        this.#host.say(`deleted run ${run.id.slice(0, 8)}`);
      },
    });
  }
}
