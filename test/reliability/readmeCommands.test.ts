/**
 * Every command the README shows runs as typed in a fresh clone after its set-up command: the README's
 * shell blocks and inline `npx …` commands, in order, in a git clone of this repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TmuxTerminal, requireTmux } from '../support/tmux.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The shell commands the README shows, in order: each line of its sh blocks (comments dropped) and each inline `npx …`. */
function readmeCommands(readme: string): string[] {
  const commands: string[] = [];
  for (const m of readme.matchAll(/```sh\n([\s\S]*?)```|`(npx [^`]+)`/g)) {
    if (m[2] !== undefined) commands.push(m[2]);
    else commands.push(...m[1]!.split('\n').map((line) => line.replace(/\s+#\s.*$/, '').trim()).filter(Boolean));
  }
  return commands;
}

// A clean clone. Where the README's `npm ci` would install the lockfile's packages, the clone borrows this
// checkout's (no network, no compiling better-sqlite3); the set-up's `npm run demo` builds dist/. Nothing
// from this checkout's dist/ or recordings/ comes along.
const home = mkdtempSync(join(tmpdir(), 'runtape-clone-'));
const clone = join(home, 'runtape');
afterAll(() => rmSync(home, { recursive: true, force: true }));

const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_AGENTS_DISABLE_TRACING: '1', npm_config_offline: 'true', npm_config_update_notifier: 'false' };
delete env.RUNTAPE_DB;
delete env.OPENAI_API_KEY;

function sh(command: string) {
  return spawnSync('sh', ['-c', command], { cwd: clone, env, encoding: 'utf8', timeout: 120_000 });
}

/**
 * What stands in for the README's set-up and development commands here: `npm ci` is the clone above,
 * `npm test` is this very suite, `npm run bench` takes minutes. The demo runs without its realistic
 * pacing (40 s of pauses between tokens), the one change from the README's line.
 */
const STAND_INS: Record<string, string | null> = {
  'npm ci && npm run demo': 'npm run demo -- --pace 0',
  'npm ci && npm test': null,
  'npm ci': null,
  'npm test': null,
  'npm run bench': null,
};
/** Commands that open the inspector, which needs a terminal: run in tmux. */
const inTerminal = (command: string) => command === 'npx runtape' || command.startsWith('npx runtape inspect');

describe('the README in a fresh clone', () => {
  it('runs every command it shows, as typed, after the set-up', async () => {
    requireTmux();
    execFileSync('git', ['clone', '--quiet', REPO, clone]);
    symlinkSync(realpathSync(join(REPO, 'node_modules')), join(clone, 'node_modules'));

    const commands = readmeCommands(readFileSync(join(clone, 'README.md'), 'utf8'));
    // The README's own lines, not a list of this test's: the ones every reader meets are among them.
    expect(commands[0]).toBe('npm ci && npm run demo');
    expect(commands).toEqual(expect.arrayContaining([ 'npx runtape ls', 'npx runtape show last', 'npx runtape inspect last']));
    expect(commands.filter((c) => c.startsWith('npx runtape')).length).toBeGreaterThanOrEqual(12);
    commands.push('npx runtape'); // "or just `npx runtape` in a terminal"

    for (const command of commands) {
      if (command in STAND_INS && STAND_INS[command] === null) continue;
      if (inTerminal(command)) {
        const terminal = TmuxTerminal.start([], { command: ['sh', '-c', command], cwd: clone, env: { PATH: env.PATH! } });
        try {
          await terminal.waitFor(command === 'npx runtape' ? 'demo: ' : 'starting_agent', 30_000);
          terminal.keys('q');
          await terminal.waitFor('EXITED 0', 10_000);
        } finally {
          terminal.kill();
        }
        continue;
      }
      const out = sh(STAND_INS[command] ?? command);
      expect({ command, status: out.status, stderr: out.stderr }).toMatchObject({ command, status: 0 });
      expect(out.stderr, command).not.toMatch(/^runtape: |npm error|not found/m);
    }
  }, 240_000);
});
