import type { Widgets } from 'blessed';
import type { RunStore } from '../store/runStore.js';
import type { KeyName } from './keys.js';
import type { Prompt } from './prompt.js';
import type { HelpSection } from './views/help.js';
import type { Line } from './views/styled.js';

/** One view of the inspector (the runs, or one run): draws itself and answers its keys. */
export interface Page {
  /** Its key table, for the help overlay. */
  readonly help: HelpSection;
  /** Handles a key from the page's table; false when the key is not the page's. */
  handleKey(key: KeyName): boolean;
  /** Puts the current state into the page's widgets (the app then paints the screen). */
  render(): void;
  /** What the footer shows when no prompt or message has it. */
  footer(): Line;
  destroy(): void;
}

/** What a page can ask of the inspector around it. */
export interface PageHost {
  readonly screen: Widgets.Screen;
  readonly store: RunStore;
  /** Paint soon (coalesced: many requests, one paint). */
  requestRender(): void;
  /** Puts a question in the footer; the footer's keys go to it until it is answered. */
  ask(prompt: Prompt): void;
  /** A short message in the footer, until the next key. */
  say(message: string): void;
  openRun(runId: string): void;
  openRuns(): void;
  /** Something went wrong that the page cannot recover from: close, restoring the terminal, and report it. */
  fail(error: unknown): void;
}
