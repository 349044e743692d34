#!/usr/bin/env node
import { Command, Option, type CommanderError } from 'commander';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { RuntapeError, errorMessage } from '../errors.js';
import { sanitizeLine, sanitizeText } from '../events/sanitize.js';
import { openStore, resolveDbPath } from '../store/openStore.js';
import type { RunStore } from '../store/runStore.js';
import type { ReplayCommandOptions } from './commands/replay.js';
import type { RerunCommandOptions } from './commands/rerun.js';
import type { LiveOutput } from './liveOutput.js';

// Piped into `head`: a closed stdout is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const print = (text: string) => process.stdout.write(text + '\n');
const terminal: LiveOutput = { text: (t) => process.stdout.write(t), marker: (line) => process.stderr.write(line + '\n') };

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Runs a command against the database named by --db / RUNTAPE_DB, closing it afterwards. `update`: a
 * command that changes runs but creates no database (there would be no run to change).
 */
async function withStore<T>(mode: 'read' | 'write' | 'update', fn: (store: RunStore) => T | Promise<T>): Promise<T> {
  const store = await openStore(program.opts<{ db?: string }>().db, { readonly: mode === 'read', mustExist: mode === 'update' });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * The exit status of a command that failed: 1, except for the comparing commands (diff, rerun), whose 1 says
 * that two runs differ; they fail with 2.
 */
let failureStatus = 1;

/** Commander's own exit for a comparing command's bad usage (a missing argument or option): 2, as any error. */
function usageErrorExit(error: CommanderError): never {
  process.exit(error.exitCode === 0 ? 0 : 2);
}

/** A comparing command's verdict: 0 when equal, 1 when different. */
function compared(equal: boolean): void {
  process.exitCode = equal ? 0 : 1;
}

const isTerminal = () => Boolean(process.stdout.isTTY && process.stdin.isTTY);

/** Opens the inspector (loaded only now: the other commands stay fast). Writable: it can delete runs. */
async function inspect(ref: string | undefined): Promise<void> {
  const path = resolveDbPath(program.opts<{ db?: string }>().db);
  if (!existsSync(path)) throw new RuntapeError(`no runs yet in ${path} (try: runtape demo)`);
  await withStore('write', async (store) => (await import('./commands/inspect.js')).inspectCommand(store, ref));
}

const program = new Command('runtape')
  .description('Record, replay and inspect OpenAI Agents SDK streaming runs')
  .version(version())
  .addOption(new Option('--db <path>', 'database file (default: recordings/runtape.db)').env('RUNTAPE_DB'))
  .showHelpAfterError('(runtape --help lists the commands)')
  // Without a command: the inspector in a terminal, the command list anywhere else. A word that is no
  // command gets commander's own answer (with its did-you-mean), which it keeps private.
  .action(async (_options: unknown, root: Command) => {
    if (root.args.length) (root as unknown as { unknownCommand(): never }).unknownCommand();
    return isTerminal() ? inspect(undefined) : root.help({ error: true });
  });

program
  .command('inspect [run]')
  .description('browse runs and replay one in a terminal UI: timeline, payloads, text, handoffs (id, id prefix, or "last")')
  .action(async (ref: string | undefined) => inspect(ref));

program
  .command('demo')
  .description('record the offline multi-agent demo runs (no API key needed)')
  .option('--pace <factor>', 'recorded timing: 1 realistic, 0.5 twice as fast, 0 no delays', '1')
  .option('--live', 'take the time for real, streaming as it is recorded (else simulated: no waiting)')
  .option('--scenario <name...>', 'only these scenarios')
  .option('--quiet', 'do not print the runs as they stream')
  .option('--open', 'show the main run when done')
  .action(async (options: { pace?: string; live?: boolean; scenario?: string[]; quiet?: boolean; open?: boolean }) => {
    const ids = await withStore('write', async (store) => {
      const { demoCommand } = await import('./commands/demo.js');
      return demoCommand(store, options, terminal);
    });
    if (options.open && ids[0]) {
      if (isTerminal()) await inspect(ids[0]);
      else await withStore('read', async (store) => (await import('./commands/show.js')).showCommand(store, ids[0]!, {}, print));
    }
  });

program
  .command('record <file> [input...]')
  .description('run the Agent exported by a .ts/.js module (default or `agent` export), streamed and recorded')
  .option('--name <name>', 'run name (default: the agent name)')
  .option('--tag <tag...>', 'tags for the run')
  .action(async (file: string, input: string[], options: { name?: string; tag?: string[] }) => {
    // The recorder opens the database itself: one it cannot use is a warning, and the agent runs unrecorded.
    const runId = await (await import('./commands/record.js')).recordCommand(resolveDbPath(program.opts<{ db?: string }>().db), file, input, options, terminal);
    if (runId !== null) process.stderr.write(`recorded run ${runId}  (runtape show ${runId.slice(0, 8)})\n`);
  });

program
  .command('ls')
  .description('list recorded runs, newest first')
  .option('--status <status>', 'only runs with this status')
  .option('--agent <name>', 'only runs in which this agent took part')
  .option('--name <text>', 'only runs whose name contains this')
  .option('--since <age|date>', 'only runs started since (30m, 2h, 7d, or a date)')
  .option('--tag <tag>', 'only runs with this tag')
  .option('--limit <n>', 'at most n runs')
  .option('--json', 'machine-readable output')
  .action(async (options: { json?: boolean }) => {
    // Nothing recorded yet is an answer, not an error.
    const path = resolveDbPath(program.opts<{ db?: string }>().db);
    if (!existsSync(path)) {
      print(options.json ? '[]' : `no runs yet in ${path} (try: runtape demo)`);
      return;
    }
    await withStore('read', async (store) => (await import('./commands/list.js')).listCommand(store, options, print));
  });

program
  .command('show <run>')
  .description('summary, agents, handoff chain and timing of a run (id, id prefix, or "last")')
  .option('--json', 'machine-readable output')
  .action(async (ref: string, options: { json?: boolean }) =>
    withStore('read', async (store) => (await import('./commands/show.js')).showCommand(store, ref, options, print)),
  );

program
  .command('handoffs <run>')
  .description('who handed off to whom, when, and why')
  .option('--json', 'machine-readable output')
  .action(async (ref: string, options: { json?: boolean }) =>
    withStore('read', async (store) => (await import('./commands/handoffs.js')).handoffsCommand(store, ref, options, print)),
  );

program
  .command('calls <run> [call]')
  .description('the model calls of a run: what each agent was sent (a table; a call number shows that call whole)')
  .option('--json', 'machine-readable output')
  .action(async (ref: string, call: string | undefined, options: { json?: boolean }) =>
    withStore('read', async (store) => (await import('./commands/calls.js')).callsCommand(store, ref, call, options, print)),
  );

program
  .command('replay <run>')
  .description('print a run as it happened, at the recorded pace (text, every event, or JSON lines)')
  .option('--speed <x>', 'playback speed, 0.1 to 100, or instant', '1')
  .option('--idle-limit <seconds>', 'shorten longer gaps to this')
  .option('--levels <list>', 'only these levels: raw,item,agent')
  .option('--only <names>', 'only events with these names, e.g. handoff_occurred,tool_called')
  .option('--agent <names>', 'only events while these agents were active')
  .option('--from <point>', 'start at a seq (42) or time (3.5s, 1200ms)')
  .option('--to <point>', 'stop at a seq or time')
  .option('--format <format>', 'text, events or jsonl', 'text')
  .action(async (ref: string, options: ReplayCommandOptions) =>
    withStore('read', async (store) =>
      (await import('./commands/replay.js')).replayCommand(store, ref, options, (text) =>
        process.stdout.write(text) ? undefined : once(process.stdout, 'drain').then(() => undefined),
      ),
    ),
  );

program
  .command('diff <a> <b>')
  .description("compare two runs: agents' path, handoffs, each model call's request, tool calls and outputs, final output (exit 0 equal, 1 different, 2 error)")
  .option('--json', 'machine-readable output: {equal, differences}')
  .hook('preAction', () => void (failureStatus = 2))
  .exitOverride(usageErrorExit)
  .action(async (a: string, b: string, options: { json?: boolean }) =>
    compared(await withStore('read', async (store) => (await import('./commands/diff.js')).diffCommand(store, a, b, options, print))),
  );

program
  .command('rerun <run>')
  .description("re-run a recorded run offline: the Agent a module exports, every model call answered from the recording; prints what changed (exit 0 same, 1 different, 2 error)")
  .requiredOption('--module <file>', 'the .ts/.js module exporting the Agent (default or `agent` export)')
  .option('--match <mode>', 'strict: stop at the first request unlike the recorded one; sequence: serve in order, report every difference', 'strict')
  .option('--until <n>', 'serve calls 1..n from the recording, the rest from the agents\' own models')
  .option('--json', 'machine-readable output: {equal, differences, ...}')
  .hook('preAction', () => void (failureStatus = 2))
  .exitOverride(usageErrorExit)
  .action(async (ref: string, options: RerunCommandOptions) =>
    compared(await withStore('update', async (store) => (await import('./commands/rerun.js')).rerunCommand(store, ref, options, print))),
  );

program
  .command('script <run>')
  .description("print a run's model responses as @openai/agents/testing ScriptedModel turns (TypeScript), per agent")
  .action(async (ref: string) => withStore('read', async (store) => (await import('./commands/script.js')).scriptCommand(store, ref, print)));

program
  .command('export <run>')
  .description('write a run as JSON lines (a header, then one line per event)')
  .option('-o, --output <file>', 'write to a file instead of stdout')
  .action(async (ref: string, options: { output?: string }) =>
    withStore('read', async (store) => (await import('./commands/exchange.js')).exportCommand(store, ref, options, print)),
  );

program
  .command('import <file>')
  .description('add an exported run to the database (all or nothing)')
  .action(async (file: string) => withStore('write', async (store) => (await import('./commands/exchange.js')).importCommand(store, file, print)));

program
  .command('rm <run...>')
  .description('delete runs and their events')
  .action(async (refs: string[]) => withStore('update', async (store) => (await import('./commands/exchange.js')).removeCommand(store, refs, print)));

// Set last: subcommands copy the setting from their parent when created. Lets the action above see an unknown command.
program.allowExcessArguments();

try {
  await program.parseAsync();
} catch (error) {
  // Messages quote what they were given (file contents, file names, SQLite's words): sanitized like all output.
  if (error instanceof RuntapeError) {
    process.stderr.write(`runtape: ${sanitizeLine(error.message)}\n`);
  } else {
    // Not an error runtape knows how to explain: still one line, with the stack on request.
    process.stderr.write(`runtape: unexpected error: ${sanitizeLine(errorMessage(error).split('\n')[0]!)}${process.env.RUNTAPE_DEBUG ? '\n' + sanitizeText(String((error as Error).stack)) : ' (set RUNTAPE_DEBUG=1 for details)'}\n`);
  }
  process.exitCode = failureStatus;
}
