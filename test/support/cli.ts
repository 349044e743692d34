import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `runtape` as a user would, against the given database. */
export interface CliOptions {
  db?: string;
  env?: Record<string, string>;
  cwd?: string;
  /** A command to run runtape under (e.g. setpriv to drop privileges). */
  wrap?: string[];
  /** Kill runtape after this long (default 60 s): for commands that could hang. */
  timeoutMs?: number;
}

function cliCommand(args: string[], options: CliOptions): { command: string[]; env: Record<string, string | undefined> } {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env, OPENAI_AGENTS_DISABLE_TRACING: '1' };
  delete env.RUNTAPE_DB;
  return { command: [...(options.wrap ?? []), process.execPath, MAIN, ...(options.db ? ['--db', options.db] : []), ...args], env };
}

export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const { command, env } = cliCommand(args, options);
  const result = spawnSync(command[0]!, command.slice(1), {
    encoding: 'utf8',
    env,
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 60_000,
    // A run with 10 MB payloads prints more than the default 1 MB.
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** runCli without blocking the test's event loop: for a run against a server the test itself serves. */
export function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const { command, env } = cliCommand(args, options);
  const child = spawn(command[0]!, command.slice(1), { env, cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Commands that cannot affect one another, all at once (each mostly starts up, or waits on a lock): their
 * answers in the commands' order.
 */
export function runCliAll(commands: string[][], options: CliOptions = {}): Promise<CliResult[]> {
  return Promise.all(commands.map((args) => runCliAsync(args, options)));
}

/** A bad-input answer: non-zero exit, exactly one line on stderr, no stack trace. */
export function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.status).not.toBe(0);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^runtape: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

/**
 * Root ignores file permissions: a command meant to meet them runs as an unprivileged user (nobody) when
 * the tests run as root. The prefix for `wrap`; nothing when not root.
 */
export function asUnprivilegedUser(): string[] {
  return process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
}
