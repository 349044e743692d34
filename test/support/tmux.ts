import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * tmux drives the TUI tests: a real terminal the inspector draws in, keys sent to it, the screen read back.
 * Without tmux those tests cannot run, and must say so rather than pass.
 */
export function requireTmux(): void {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`the TUI tests drive the inspector in tmux, which is not installed or not on PATH (${probe.error?.message ?? probe.stderr.trim()}): apt-get install tmux`);
  }
}

let sessions = 0;

/** Shell-quotes one word for the command tmux runs. */
function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * One terminal of a fixed size running `runtape` (the built CLI) on its own tmux server (a private
 * socket, so tests never touch a user's tmux). After runtape exits, the shell prints `EXITED <status>`
 * and the pane stays, so a test can see what the terminal was left showing.
 */
export class TmuxTerminal {
  readonly #socket: string;
  /** The socket's file, which tmux leaves behind when its server is killed. */
  readonly #socketPath: string;

  private constructor(socket: string) {
    this.#socket = socket;
    this.#socketPath = this.display('#{socket_path}');
  }

  /** `command` replaces the built runtape (`args` then go unused), e.g. `npx runtape` in a clone, run in `cwd`. */
  static start(args: string[], options: { cols?: number; rows?: number; env?: Record<string, string>; command?: string[]; cwd?: string } = {}): TmuxTerminal {
    const socket = `runtape-test-${process.pid}-${++sessions}`;
    const env = { LANG: 'C.UTF-8', OPENAI_AGENTS_DISABLE_TRACING: '1', ...options.env };
    const command = [
      'env',
      '-u',
      'RUNTAPE_DB',
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      ...(options.command ?? [process.execPath, MAIN, ...args]),
    ];
    const shell = `${command.map(quote).join(' ')}; echo "EXITED $?"; exec sleep 600`;
    execFileSync('tmux', ['-u', '-L', socket, '-f', '/dev/null', 'new-session', '-d', ...(options.cwd ? ['-c', options.cwd] : []), '-x', String(options.cols ?? 160), '-y', String(options.rows ?? 48), shell], {
      env: { ...process.env, LANG: 'C.UTF-8' },
    });
    return new TmuxTerminal(socket);
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.#socket, ...args], { encoding: 'utf8' });
  }

  /** The screen as text, one line per row. */
  screen(): string {
    return this.#tmux('capture-pane', '-p').replace(/\n$/, '');
  }

  /** The screen with its colours and attributes, as SGR escape sequences (for asserting what is highlighted). */
  styledScreen(): string {
    return this.#tmux('capture-pane', '-p', '-e').replace(/\n$/, '');
  }

  /** Keys by tmux name (Enter, Escape, Space, PageDown, C-c) or as characters. */
  keys(...keys: string[]): void {
    this.#tmux('send-keys', ...keys);
  }

  /** Text typed literally, character by character. */
  type(text: string): void {
    this.#tmux('send-keys', '-l', text);
  }

  resize(cols: number, rows: number): void {
    this.#tmux('resize-window', '-x', String(cols), '-y', String(rows));
  }

  /** A tmux format about the pane, e.g. '#{alternate_on}' or '#{pane_title}'. */
  display(format: string): string {
    return this.#tmux('display-message', '-p', format).trim();
  }

  /**
   * Waits until the screen satisfies `expected` (text it contains, or a predicate) and returns it;
   * fails with the last screen when it does not within `timeoutMs`.
   */
  async waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const test = typeof expected === 'function' ? expected : (s: string) => (typeof expected === 'string' ? s.includes(expected) : expected.test(s));
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = this.screen();
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the terminal did not show ${String(expected)} within ${timeoutMs} ms; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.#socket, 'kill-server']);
    rmSync(this.#socketPath, { force: true });
  }
}

/** The row of the screen that contains `text` (for asserting which pane a line is in). */
export function rowOf(screen: string, text: string): number {
  return screen.split('\n').findIndex((line) => line.includes(text));
}
