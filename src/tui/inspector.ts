import blessed from 'blessed';
import type { Widgets } from 'blessed';
import { RuntapeError } from '../errors.js';
import { sanitizeLine } from '../events/sanitize.js';
import type { RunStore } from '../store/runStore.js';
import { DiffPage } from './diffPage.js';
import { GLOBAL_KEYS, actionFor, keyNameOf, type KeyName } from './keys.js';
import type { Page, PageHost } from './page.js';
import { promptKey, type Prompt } from './prompt.js';
import { RunPage } from './runPage.js';
import { RunsPage } from './runsPage.js';
import { helpLines } from './views/help.js';
import { RunsList } from './views/runsList.js';
import { span, plainOf, type Line } from './views/styled.js';
import { displayWidth } from './views/width.js';
import { markupLines } from './widgets/markup.js';
import { LineBox } from './widgets/pane.js';
import { createScreen } from './widgets/screen.js';

export interface InspectorOptions {
  store: RunStore;
  /** Open this run (its full id); without it, the list of runs. */
  runId?: string;
  /** Draw on this screen (e.g. `headlessScreen()` for a benchmark); default: a new one on this terminal, destroyed on quit. */
  screen?: Widgets.Screen;
}

export interface Inspector {
  /** Milliseconds from `openInspector` being called to the first complete paint. */
  readonly firstPaintMs: number;
  /** Settles when the inspector has closed (the user quit); rejects if it closed on an error. */
  readonly closed: Promise<void>;
  close(): void;
}

/**
 * Opens the inspector and resolves once its first frame is painted. `closed` then tells when the user quit.
 * On quit, a screen the inspector created is destroyed, which restores the terminal.
 */
export async function openInspector(options: InspectorOptions): Promise<Inspector> {
  const started = performance.now();
  const app = new InspectorApp(options.store, options.screen);
  try {
    if (options.runId) await app.openRun(options.runId);
    else await app.openRuns();
    await app.frame();
  } catch (error) {
    app.close(); // the terminal back as it was before the error is told
    throw error;
  }
  const firstPaintMs = performance.now() - started;
  return { firstPaintMs, closed: app.closed, close: () => app.close() };
}

const HELP_SCROLL: Record<KeyName, number | undefined> = { down: 1, j: 1, up: -1, k: -1, pagedown: 10, pageup: -10 };

class InspectorApp implements PageHost {
  readonly screen: Widgets.Screen;
  readonly closed: Promise<void>;
  readonly #ownsScreen: boolean;
  readonly #footer: LineBox;
  readonly #help: Widgets.BoxElement;
  #page: Page | undefined;
  /** The runs view's list outlives the view: back from a run, the filter and selection are as they were. */
  #runs: RunsList | undefined;
  #prompt: Prompt | undefined;
  #message: string | undefined;
  #paintTimer: NodeJS.Timeout | undefined;
  /**
   * Keys and frames, one after another: a key acts on the state the keys before it left, and a frame reads
   * and paints one state whole. So a read that ends late never paints over a newer one.
   */
  #work: Promise<void> = Promise.resolve();
  /** The last thing waiting its turn is a frame: it will show whatever happens before it starts, so it is enough. */
  #frameLast = false;
  #closing = false;
  #settle!: { resolve: () => void; reject: (error: unknown) => void };

  constructor(
    readonly store: RunStore,
    screen: Widgets.Screen | undefined,
  ) {
    this.#ownsScreen = screen === undefined;
    this.screen = screen ?? createScreen();
    this.closed = new Promise((resolve, reject) => (this.#settle = { resolve, reject }));
    this.#footer = new LineBox(this.screen, { bg: 'black', fg: 'white' });
    this.#help = blessed.box({
      parent: this.screen,
      hidden: true,
      top: 'center',
      left: 'center',
      width: '90%',
      height: '90%',
      tags: true,
      border: { type: 'line' },
      label: ' Keys  (↑↓ scroll, any other key closes) ',
      style: { border: { fg: 'yellow' } },
      scrollable: true,
    });
    this.screen.on('keypress', this.#onKeypress);
    this.screen.on('resize', this.#onResize);
  }

  // ---- PageHost ---------------------------------------------------------------------------------------

  requestRender(): void {
    // A frame at most every 16 ms, however fast events arrive (an instant replay delivers thousands).
    this.#paintTimer ??= setTimeout(() => {
      this.#paintTimer = undefined;
      void this.frame();
    }, 16);
  }

  ask(prompt: Prompt): void {
    this.#prompt = prompt;
    this.requestRender();
  }

  say(message: string): void {
    this.#message = message;
    this.requestRender();
  }

  openRun(runId: string): Promise<void> {
    return this.#show(() => RunPage.open(this, runId));
  }

  openRuns(): Promise<void> {
    return this.#show(() => RunsPage.open(this, (this.#runs ??= new RunsList(() => this.store.listRuns()))));
  }

  openDiff(aRunId: string, bRunId: string): Promise<void> {
    return this.#show(() => DiffPage.open(this, aRunId, bRunId));
  }

  fail(error: unknown): void {
    this.#close(error);
  }

  // ---- the app ------------------------------------------------------------------------------------------

  close(): void {
    this.#close();
  }

  /** Reads what the page shows, then paints it, in its turn after the keys typed before. */
  frame(): Promise<void> {
    if (!this.#frameLast) {
      this.#queue(async () => {
        this.#frameLast = false;
        await this.#page?.load?.();
        this.#paint();
      });
      this.#frameLast = true;
    }
    return this.#work;
  }

  #queue(job: () => Promise<void>): void {
    this.#frameLast = false;
    this.#work = this.#work.then(async () => {
      if (this.#closing) return;
      try {
        await job();
      } catch (error) {
        this.#close(error);
      }
    });
  }

  /** Draws what the page holds; reads nothing. */
  #paint(): void {
    if (this.#closing || !this.#page) return;
    try {
      this.#page.render();
      this.#footer.place({ left: 0, top: Number(this.screen.height) - 1, width: Number(this.screen.width), height: 1 });
      this.#footer.set(this.#footerLine());
      this.screen.render();
    } catch (error) {
      this.#close(error);
    }
  }

  /** Shows a new page once it has read what it opens with; if that fails, the page shown stays. */
  async #show(create: () => Promise<Page>): Promise<void> {
    const page = await create();
    if (this.#closing) return page.destroy();
    this.#page?.destroy();
    this.#page = page;
    this.#prompt = undefined;
    this.requestRender();
  }

  #footerLine(): Line {
    const width = Number(this.screen.width);
    if (this.#prompt?.kind === 'line') return [span(`${this.#prompt.label} `, { bold: true }), span(sanitizeLine(this.#prompt.value)), span('█')];
    if (this.#prompt?.kind === 'confirm') return [span(`${this.#prompt.question} (y/n)`, { fg: 'yellow', bold: true })];
    // Messages can quote recorded text (a run's name in an error).
    if (this.#message !== undefined) return [span(sanitizeLine(this.#message), { fg: 'yellow' })];
    const left = this.#page?.footer() ?? [];
    const hint = '? help  q quit ';
    const room = width - displayWidth(plainOf(left)) - hint.length;
    return room > 0 ? [...left, span(' '.repeat(room)), span(hint, { fg: 'gray' })] : left;
  }

  #onKeypress = (ch: string | undefined, key: Widgets.Events.IKeyEventArg | undefined): void => {
    const name = keyNameOf(ch, key);
    if (name === undefined || this.#closing) return;
    // Ctrl-C quits at once, whatever is still being read.
    if (name === 'C-c') return this.#close();
    this.#queue(async () => {
      try {
        await this.#key(name);
      } catch (error) {
        // A store error (locked, read-only, the run deleted elsewhere) is the user's to read, not a crash.
        if (!(error instanceof RuntapeError)) throw error;
        this.say(error.message);
      }
    });
    void this.frame();
  };

  async #key(name: KeyName): Promise<void> {
    if (!this.#help.hidden) {
      // The list is longer than a small terminal: it scrolls; any other key closes it.
      const scroll = HELP_SCROLL[name];
      if (scroll !== undefined) this.#help.scroll(scroll);
      else this.#help.hide();
      return;
    }
    const prompt = this.#prompt;
    if (prompt) {
      let closed = true; // an answer that throws (a time that does not parse) closes the prompt too
      try {
        closed = (await promptKey(prompt, name)) === 'closed';
      } finally {
        // An answer may ask the next question (or open a page): only close the prompt that was answered.
        if (closed && this.#prompt === prompt) this.#prompt = undefined;
      }
      return;
    }
    this.#message = undefined;
    if (await this.#page?.handleKey(name)) return;
    switch (actionFor(GLOBAL_KEYS, name)) {
      case 'quit':
        return this.#close();
      case 'help':
        return this.#showHelp();
    }
  }

  #showHelp(): void {
    const sections = [this.#page?.help, { title: 'Everywhere', bindings: GLOBAL_KEYS }].filter((s) => s !== undefined);
    this.#help.setContent(markupLines(helpLines(sections)));
    this.#help.setScroll(0);
    this.#help.show();
    this.#help.setFront();
  }

  #onResize = (): void => void this.frame();

  #close(error?: unknown): void {
    if (this.#closing) return;
    this.#closing = true;
    clearTimeout(this.#paintTimer);
    this.screen.off('keypress', this.#onKeypress);
    this.screen.off('resize', this.#onResize);
    try {
      this.#page?.destroy();
    } finally {
      this.#page = undefined;
      this.#footer.box.destroy();
      this.#help.destroy();
      if (this.#ownsScreen) this.screen.destroy();
      else this.screen.render();
      if (error === undefined) this.#settle.resolve();
      else this.#settle.reject(error);
    }
  }
}
