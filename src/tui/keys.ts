/**
 * Every key the inspector answers to, in one table per view. The handlers and the help overlay both read
 * these tables, so what `?` lists is what the keys do: a page supplies one handler per action, and the
 * compiler refuses a table entry without one.
 */

import type { EventLevel } from '../events/levels.js';

/** A key as the tables name it: a printable character as itself ('G', '+', '?'), others by name ('space', 'down', 'C-c'). */
export type KeyName = string;

export interface Binding<A extends string = string> {
  action: A;
  keys: readonly KeyName[];
  help: string;
  /** How the help overlay shows the keys, when listing them one by one would be too long (0–9). */
  label?: string;
}

export const GLOBAL_KEYS = [
  { action: 'help', keys: ['?'], help: 'this help (any key closes it)' },
  { action: 'quit', keys: ['q', 'C-c'], help: 'quit (the terminal is restored)' },
] as const satisfies readonly Binding[];

export const RUNS_KEYS = [
  { action: 'down', keys: ['down', 'j'], help: 'next run' },
  { action: 'up', keys: ['up', 'k'], help: 'previous run' },
  { action: 'open', keys: ['enter'], help: 'open the selected run' },
  { action: 'filter', keys: ['/'], help: 'filter runs as you type (name, id, status, agent, tag); Enter opens, Esc clears' },
  { action: 'delete', keys: ['x', 'delete'], help: 'delete the selected run (asks first)' },
  { action: 'mark', keys: ['m'], help: 'mark / unmark the selected run for comparing (two at most: a third replaces the older mark)' },
  { action: 'compare', keys: ['d'], help: 'compare the two marked runs side by side, call by call (one marked: with the selected run)' },
] as const satisfies readonly Binding[];

export const DIFF_KEYS = [
  { action: 'down', keys: ['down', 'j'], help: 'scroll down a line' },
  { action: 'up', keys: ['up', 'k'], help: 'scroll up a line' },
  { action: 'pageDown', keys: ['pagedown', 'space'], help: 'a page down' },
  { action: 'pageUp', keys: ['pageup'], help: 'a page up' },
  { action: 'start', keys: ['g', 'home'], help: 'to the top' },
  { action: 'end', keys: ['G', 'end'], help: 'to the bottom' },
  { action: 'nextDifference', keys: ['n'], help: 'next difference' },
  { action: 'previousDifference', keys: ['N'], help: 'previous difference' },
  { action: 'back', keys: ['escape', 'backspace'], help: 'back to the runs' },
] as const satisfies readonly Binding[];

export const RUN_KEYS = [
  { action: 'playPause', keys: ['space'], help: 'play / pause' },
  { action: 'slower', keys: ['-'], help: 'slower (0.25x … 16x, instant)' },
  { action: 'faster', keys: ['+', '='], help: 'faster' },
  { action: 'next', keys: ['down', 'j', 'right'], help: 'step to the next shown event, in the waterfall the next row (pauses)' },
  { action: 'previous', keys: ['up', 'k', 'left'], help: 'step to the previous shown event, in the waterfall the previous row (pauses)' },
  { action: 'pageDown', keys: ['pagedown'], help: 'a page of events forward' },
  { action: 'pageUp', keys: ['pageup'], help: 'a page of events back' },
  { action: 'start', keys: ['g', 'home'], help: 'go to the start of the run' },
  { action: 'end', keys: ['G', 'end'], help: 'go to the end (a live run: follow new events)' },
  { action: 'seek', keys: ['t'], help: 'seek: type a time (3.5s, 1200ms, 2m) or a seq (#42)' },
  { action: 'jumpPercent', keys: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], label: '0…9', help: 'jump to 0%, 10% … 90% of the run (keeps playing or paused)' },
  { action: 'idleCap', keys: ['i'], help: 'idle cap on/off: play long silences as 1 s' },
  { action: 'pauseOnHandoff', keys: ['p'], help: 'pause on handoff on/off: playing stops when a handoff occurs' },
  { action: 'waterfall', keys: ['w'], help: 'waterfall on/off: agents, model calls, tools, guardrails, handoffs as bars in time' },
  { action: 'toggleRaw', keys: ['R'], help: 'show / hide raw events (token deltas, provider events)' },
  { action: 'toggleItem', keys: ['I'], help: 'show / hide item events (messages, tools, handoffs)' },
  { action: 'toggleAgent', keys: ['A'], help: 'show / hide agent events (agent changes)' },
  { action: 'search', keys: ['/'], help: 'search the payloads of shown events (from the playhead on)' },
  { action: 'searchNext', keys: ['n'], help: 'next search match' },
  { action: 'searchPrevious', keys: ['N'], help: 'previous search match' },
  { action: 'nextHandoff', keys: [']'], help: 'jump to the next handoff' },
  { action: 'previousHandoff', keys: ['['], help: 'jump to the previous handoff' },
  { action: 'nextTool', keys: ['}'], help: 'jump to the next tool call' },
  { action: 'previousTool', keys: ['{'], help: 'jump to the previous tool call' },
  { action: 'detailDown', keys: ['J'], help: 'scroll the payload down' },
  { action: 'detailUp', keys: ['K'], help: 'scroll the payload up' },
  { action: 'openChild', keys: ['enter'], help: 'a tool call that ran an agent used as a tool (waterfall row or event): open that child run' },
  { action: 'openParent', keys: ['u'], help: 'a child run: open the run whose tool call started it' },
  { action: 'back', keys: ['escape', 'backspace'], help: 'back to the runs' },
] as const satisfies readonly Binding[];

export type GlobalAction = (typeof GLOBAL_KEYS)[number]['action'];
export type RunsAction = (typeof RUNS_KEYS)[number]['action'];
export type RunAction = (typeof RUN_KEYS)[number]['action'];
export type DiffAction = (typeof DIFF_KEYS)[number]['action'];

/** The action that shows or hides each level's events (the footer names its key). */
export const LEVEL_TOGGLES = { raw: 'toggleRaw', item: 'toggleItem', agent: 'toggleAgent' } as const satisfies Record<EventLevel, RunAction>;

/** The first key bound to an action: the one the footer and messages mention. */
export function keyFor<A extends string>(bindings: readonly Binding<A>[], action: A): KeyName {
  return bindings.find((b) => b.action === action)!.keys[0]!;
}

/** The action a key triggers in a table, if any. */
export function actionFor<A extends string>(bindings: readonly Binding<A>[], key: KeyName): A | undefined {
  return bindings.find((b) => b.keys.includes(key))?.action;
}

/**
 * A page's answer to a key: runs the action the key is bound to in `bindings`, settling once it is done; false
 * when the key is not in the table.
 */
export async function runBoundAction<A extends string>(
  bindings: readonly Binding<A>[],
  actions: Record<A, (key: KeyName) => unknown>,
  key: KeyName,
): Promise<boolean> {
  const action = actionFor(bindings, key);
  if (!action) return false;
  await actions[action](key);
  return true;
}

/** How the help overlay and the footer show a key. */
export function keyLabel(key: KeyName): string {
  return KEY_LABELS[key] ?? key;
}

const KEY_LABELS: Record<string, string> = {
  space: 'space',
  down: '↓',
  up: '↑',
  left: '←',
  right: '→',
  pagedown: 'PgDn',
  pageup: 'PgUp',
  home: 'Home',
  end: 'End',
  enter: 'Enter',
  escape: 'Esc',
  backspace: 'Backspace',
  delete: 'Del',
  'C-c': 'Ctrl-C',
};

// blessed names these keys itself; everything else is identified by the character typed.
const NAMED_KEYS = new Set(['up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'enter', 'escape', 'space', 'tab', 'backspace', 'delete']);

/** The table name of a keypress as blessed reports it; undefined for keys no table can name (Alt-x, F5). */
export function keyNameOf(ch: string | undefined, key: { name?: string; ctrl?: boolean; meta?: boolean } | undefined): KeyName | undefined {
  // blessed reports the Enter key twice, as 'enter' and then as 'return': one is enough.
  if (key?.meta || key?.name === 'return') return undefined;
  if (key?.name && NAMED_KEYS.has(key.name)) return key.name;
  if (key?.ctrl && key.name) return `C-${key.name}`;
  return ch !== undefined && ch.length === 1 && ch >= ' ' ? ch : undefined;
}
