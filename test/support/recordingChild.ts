import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { childScript } from './childScripts.js';

const SCRIPT = childScript('recordingChild');

/** What test/fixtures/recordingChild.ts is asked to record. */
export interface RecordingChildConfig {
  db: string;
  /** Text deltas in the run's one model turn. */
  deltas: number;
  /** Real time between deltas, ms; none makes a stream fed by microtasks alone. */
  delayMs?: number;
  /** Print `stored <n>` once the database holds at least this many of the run's events. */
  reportStoredAtLeast?: number;
  name?: string;

  /** Stop reading after this many events, print `consumed <seq of the last one>`, and idle until killed. */
  idleAfterConsumed?: number;
  /**
   * After this many events, block the application's thread (a synchronous loop: no timer, no promise runs)
   * until the run's stored heartbeat has moved twice or 30 s have passed; print `starved heartbeat moved`
   * or `starved heartbeat stuck`, then idle until killed.
   */
  starveAfterConsumed?: number;
  /** `process.exit()` right after the loop, without awaiting anything. */
  exitAfterLoop?: boolean;
  /** Print `ready` once loaded, then wait for `go()` before starting the run. */
  waitForGo?: boolean;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string[];
  stderr: string;
}

export interface RecordingChild {
  process: ChildProcess;
  /** Resolves with the first stdout line starting with `prefix` (without it); rejects if the child ends first. */
  line(prefix: string): Promise<string>;
  /** Lets a child started with `waitForGo` start its run. */
  go(): void;
  exited: Promise<ChildExit>;
}

/**
 * Starts a recording process (test/fixtures/recordingChild.ts, compiled as an application ships); `wrap` runs it
 * under another command (e.g. asUnprivilegedUser()).
 */
export function startRecordingChild(config: RecordingChildConfig, options: { wrap?: string[] } = {}): RecordingChild {
  const command = [...(options.wrap ?? []), process.execPath, SCRIPT, JSON.stringify(config)];
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, OPENAI_AGENTS_DISABLE_TRACING: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  const waiting: { prefix: string; resolve: (rest: string) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout.push(line);
    for (const w of waiting.filter((w) => line.startsWith(w.prefix))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(line.slice(w.prefix.length));
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<ChildExit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    process: child,
    line(prefix) {
      const already = stdout.find((l) => l.startsWith(prefix));
      if (already !== undefined) return Promise.resolve(already.slice(prefix.length));
      return new Promise((resolve, reject) => {
        waiting.push({ prefix, resolve });
        void exited.then((exit) =>
          reject(new Error(`recording child ended (code ${exit.code}, signal ${exit.signal}) before printing "${prefix}…"; stderr: ${exit.stderr}`)),
        );
      });
    },
    go: () => child.stdin!.end('go\n'),
    exited,
  };
}
