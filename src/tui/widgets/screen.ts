import blessed from 'blessed';
import type { Widgets } from 'blessed';
import { PassThrough, type Readable, type Writable } from 'node:stream';

export interface ScreenStreams {
  input?: Readable;
  output?: Writable;
}

/** A blessed screen for the inspector, on this terminal unless given other streams. */
export function createScreen(streams: ScreenStreams = {}): Widgets.Screen {
  const screen = quietly(() => blessed.screen({
    // @types/blessed has the screen's input and output streams the wrong way round.
    ...(streams as { input?: never; output?: never }),
    smartCSR: true,
    // Wide (CJK, emoji) characters in recorded text take two cells: blessed must know, or rows shift.
    fullUnicode: true,
    title: 'runtape',
    // blessed would otherwise pop up its own warnings (an unknown $TERM) over the UI.
    warnings: false,
  }));
  // On a UTF-8 terminal, draw line characters as UTF-8, as ncurses does, instead of switching to the
  // VT100 line-drawing charset: tmux and screen then show (and capture) them as the characters they are.
  const tput = screen.tput as unknown as { unicode: boolean; brokenACS: boolean; colors: number };
  if (tput.unicode) tput.brokenACS = true;
  // blessed cannot read current terminfo files (tmux-256color on today's distributions) and falls back to
  // 8-colour xterm, where grey becomes black: invisible on a dark terminal. A $TERM that names 256 colours has them.
  if (tput.colors < 256 && /256col/.test(process.env.TERM ?? '')) tput.colors = 256;
  return screen;
}

/** A screen drawing into nothing, `cols` x `rows`: for measuring and testing the inspector without a terminal. */
export function headlessScreen(cols = 160, rows = 48): Widgets.Screen {
  const output = Object.assign(new PassThrough(), { columns: cols, rows, isTTY: true });
  output.resume(); // what is drawn is dropped
  return createScreen({ input: new PassThrough(), output });
}

/**
 * blessed compiles the terminal's terminfo when a screen is made and prints the capabilities it cannot
 * translate (screen-256color's plab_norm, some xterm-256color builds' Setulc) to stderr: noise about
 * capabilities it never uses, left on the terminal after quitting. Kept quiet while it does that.
 */
function quietly<T>(fn: () => T): T {
  const error = console.error;
  console.error = () => {};
  try {
    return fn();
  } finally {
    console.error = error;
  }
}
