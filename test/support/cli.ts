import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
}

export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env, OPENAI_AGENTS_DISABLE_TRACING: '1' };
  delete env.RUNTAPE_DB;
  const command = [...(options.wrap ?? []), process.execPath, MAIN, ...(options.db ? ['--db', options.db] : []), ...args];
  const result = spawnSync(command[0]!, command.slice(1), {
    encoding: 'utf8',
    env,
    cwd: options.cwd,
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
