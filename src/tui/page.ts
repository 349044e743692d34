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
  /** Handles a key from the page's table, settling once it has done what it reads; false when the key is not the page's. */
  handleKey(key: KeyName): Promise<boolean>;
  /** Reads what the page is to show in its present state: the windows on screen, no more. */
  load?(): Promise<void>;
  /** Puts what the page holds (read by `load`) into its widgets, reading nothing; the app then paints the screen. */
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
  openRun(runId: string): Promise<void>;
  openRuns(): Promise<void>;
  /** Two runs side by side, call by call (`a` on the left). */
  openDiff(aRunId: string, bRunId: string): Promise<void>;
  /** Something went wrong that the page cannot recover from: close, restoring the terminal, and report it. */
  fail(error: unknown): void;
}
