/**
 * The inspector in a real terminal: tmux runs the built `runtape inspect` at a fixed size, the tests send
 * keys and read the screen back, waiting (with a deadline) for what should appear.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RUN_KEYS, GLOBAL_KEYS } from '../src/tui/keys.js';
import { RecordingRunner, openStore, recordedRunId, recordingStored } from '../src/index.js';
import { runCli } from './support/cli.js';
import { twoAgentRun } from './support/scriptedTurns.js';
import { useTempDir } from './support/tempDb.js';
import { TmuxTerminal, requireTmux, rowOf } from './support/tmux.js';

const tempDir = useTempDir();
const terminals: TmuxTerminal[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
});

function inspect(db: string, args: string[], size: { cols?: number; rows?: number } = {}): TmuxTerminal {
  const terminal = TmuxTerminal.start(['--db', db, 'inspect', ...args], size);
  terminals.push(terminal);
  return terminal;
}

/** The status line: `❚❚ paused 1x  +1.057s/…  …  #5/270`. */
function statusLine(screen: string): string {
  return screen.split('\n').find((line) => /(paused|playing) /.test(line)) ?? '';
}

/** Quits with q and checks the terminal is back as it was: runtape exited 0, no UI left, normal screen, cursor shown. */
async function quitAndCheckRestored(terminal: TmuxTerminal): Promise<void> {
  terminal.keys('q');
  const screen = await terminal.waitFor('EXITED');
  expect(screen).toContain('EXITED 0');
  expect(screen).not.toMatch(/Timeline|paused|\? help/);
  expect(terminal.display('#{alternate_on} #{cursor_flag}')).toBe('0 1');
}

let demoDb: string;
let mainRun: { id: string; eventCount: number; finalOutput: string };
beforeAll(() => {
  requireTmux();
  demoDb = join(mkdtempSync(join(tmpdir(), 'runtape-tui-')), 'demo.db');
  const recorded = runCli(['demo', '--pace', '0', '--quiet'], { db: demoDb });
  expect(recorded.status).toBe(0);
  [mainRun] = JSON.parse(runCli(['ls', '--json', '--name', 'duplicate'], { db: demoDb }).stdout);
});

describe('runtape inspect', () => {
  it('needs a terminal: without one it says so, and `runtape` alone lists the commands', () => {
    const piped = runCli(['inspect', 'last'], { db: demoDb });
    expect(piped.status).toBe(1);
    expect(piped.stderr.trim()).toBe('runtape: the inspector needs a terminal (stdin and stdout must be a TTY); for plain output try runtape show');
    const bare = runCli([], { db: demoDb });
    expect(bare.status).toBe(1);
    expect(bare.stderr).toContain('inspect [run]');
    expect(runCli(['shw'], { db: demoDb }).stderr).toContain("error: unknown command 'shw'");
  });

  it('opens a run; filters levels, plays fast, jumps to a handoff, searches, helps, quits', async () => {
    const terminal = inspect(demoDb, [mainRun.id.slice(0, 8)]);
    await terminal.waitFor('starting_agent');
    // The counts come from the analysis, which runs after the first paint.
    let screen = await terminal.waitFor('[x] R raw 250  [x] I item 17  [x] A agent 4');
    expect(screen).toContain('demo: duplicate-charge-and-outage');
    // The path wraps between agents in the lane's width.
    expect(screen).toContain('Path  Triage Agent → Billing Agent → Triage Agent');
    expect(screen).toMatch(/ {6}→ Technical Support Agent$/m);
    expect(statusLine(screen)).toMatch(/❚❚ paused 1x .*#—\/270/);

    // Level filters: raw events leave the timeline and come back.
    expect(screen).toContain('response_started');
    terminal.keys('R');
    screen = await terminal.waitFor('[ ] R raw');
    expect(screen).not.toContain('response_started');
    expect(screen).toContain('handoff_requested');
    terminal.keys('A');
    screen = await terminal.waitFor('[ ] A agent');
    expect(screen).not.toContain('starting_agent');
    terminal.keys('R', 'A');
    screen = await terminal.waitFor('[x] R raw 250  [x] I item 17  [x] A agent 4');
    expect(screen).toContain('response_started');

    // Play at the top speed: the run plays to its end, the text pane holding the whole answer.
    terminal.keys('+', '+', '+', '+', '+');
    await terminal.waitFor((s) => statusLine(s).includes('paused instant'));
    terminal.keys('Space');
    screen = await terminal.waitFor((s) => statusLine(s).includes('end of run'));
    expect(statusLine(screen)).toContain('#270/270');
    const lastLine = mainRun.finalOutput.split('\n').at(-1)!;
    const textTitle = rowOf(screen, 'Output text');
    expect(rowOf(screen, lastLine.slice(-30))).toBeGreaterThan(textTitle);
    expect(rowOf(screen, lastLine.slice(-30))).toBeLessThan(rowOf(screen, '#270  +'));

    // Back to the start, then to the first handoff: the lane marks it, the detail shows its payload.
    terminal.keys('g', ']');
    screen = await terminal.waitFor((s) => statusLine(s).includes('#5/270'));
    expect(screen).toMatch(/▶ \+\d+\.\d{3}s Triage Agent → Billing Agent/);
    expect(screen).toContain('"name": "handoff_occurred"');
    terminal.keys(']');
    await terminal.waitFor((s) => statusLine(s).includes('#105/270'));
    terminal.keys('[');
    await terminal.waitFor((s) => statusLine(s).includes('#5/270'));

    // Search the payloads from the playhead on: the playhead goes to the first event that mentions it.
    const store = await openStore(demoDb, { readonly: true });
    const [match] = await store.readEvents(mainRun.id, { fromSeq: 6, limit: 1, filter: { text: 'REFUND' } });
    const [nextMatch] = await store.readEvents(mainRun.id, { fromSeq: match!.seq + 1, limit: 1, filter: { text: 'refund' } });
    await store.close();
    terminal.keys('/');
    await terminal.waitFor('search payloads:');
    terminal.type('REFUND');
    terminal.keys('Enter');
    screen = await terminal.waitFor((s) => statusLine(s).includes(`#${match!.seq}/270`));
    expect(screen).toContain('/REFUND');
    terminal.keys('n');
    await terminal.waitFor((s) => statusLine(s).includes(`#${nextMatch!.seq}/270`));

    // Help lists every key.
    terminal.keys('?');
    screen = await terminal.waitFor('Keys  (↑↓ scroll');
    for (const binding of [...RUN_KEYS, ...GLOBAL_KEYS]) expect(screen).toContain(binding.help);
    terminal.keys('x');
    await terminal.waitFor((s) => !s.includes('Keys  (↑↓ scroll'));

    await quitAndCheckRestored(terminal);
  });

  it('steps, seeks by time, caps idle time, and relayouts when the terminal is resized', async () => {
    const terminal = inspect(demoDb, [mainRun.id]);
    await terminal.waitFor('starting_agent');
    terminal.keys('j', 'j', 'Down');
    await terminal.waitFor((s) => statusLine(s).includes('#2/270'));
    terminal.keys('k');
    await terminal.waitFor((s) => statusLine(s).includes('#1/270'));
    terminal.keys('G');
    await terminal.waitFor((s) => statusLine(s).includes('#270/270'));
    terminal.keys('t');
    await terminal.waitFor('seek to');
    terminal.type('#100');
    terminal.keys('Enter');
    await terminal.waitFor((s) => statusLine(s).includes('#100/270'));
    terminal.keys('i');
    await terminal.waitFor((s) => statusLine(s).includes('idle cap 1.00 s'));

    // Wide: the timeline and the handoffs lane side by side; narrow: stacked.
    let screen = terminal.screen();
    expect(rowOf(screen, 'Handoffs (')).toBe(rowOf(screen, 'Timeline'));
    terminal.resize(90, 30);
    screen = await terminal.waitFor((s) => rowOf(s, 'Handoffs (') > rowOf(s, 'Timeline') + 5);
    expect(screen.split('\n')).toHaveLength(30);
    expect(statusLine(screen)).toContain('#100/270');

    await quitAndCheckRestored(terminal);
  });

  it('lists runs: filter as you type, open with Enter, delete with confirmation', async () => {
    const db = join(tempDir(), 'copy.db');
    copyFileSync(demoDb, db);
    const terminal = TmuxTerminal.start(['--db', db]); // no command: the inspector, on the runs
    terminals.push(terminal);
    let screen = await terminal.waitFor('3 runs');
    expect(screen).toMatch(/demo: latency-regression[\s\S]*demo: annual-plan-quote[\s\S]*demo: duplicate-charge-and-outage/);

    terminal.keys('/');
    terminal.type('annual');
    screen = await terminal.waitFor('1 of 3 runs match "annual"');
    expect(screen).not.toContain('demo: latency-regression');
    terminal.keys('Enter');
    screen = await terminal.waitFor('starting_agent');
    expect(screen).toContain('demo: annual-plan-quote');
    terminal.keys('Escape');
    await terminal.waitFor('1 of 3 runs match');

    // The selection stays on its run when the filter is cleared.
    terminal.keys('/', 'Escape');
    await terminal.waitFor('3 runs');
    terminal.keys('x');
    screen = await terminal.waitFor('(y/n)');
    expect(screen).toMatch(/Delete run [0-9a-f]{8} "demo: annual-plan-quote" \(162 events\)\?/);
    terminal.keys('n');
    await terminal.waitFor((s) => !s.includes('(y/n)'));
    expect(terminal.screen()).toContain('3 runs');
    terminal.keys('x', 'y');
    screen = await terminal.waitFor('2 runs');
    expect(screen).toContain('deleted run');
    expect(screen).not.toContain('demo: annual-plan-quote');
    await quitAndCheckRestored(terminal);
    expect(JSON.parse(runCli(['ls', '--json'], { db }).stdout)).toHaveLength(2);
  });

  it('shows escape sequences and blessed tags in recorded content as inert text', async () => {
    const db = join(tempDir(), 'hostile.db');
    const store = await openStore(db);
    const hostile = 'A {red-fg}x{/} B \x1b[2J C \x1b]0;pwned\x07 D {bold}';
    const { triage } = twoAgentRun({ text: hostile });
    const result = await new RecordingRunner({ tracingDisabled: true }, { db: store, name: 'hostile {blink}run{/blink}' }).run(triage, 'hi', { stream: true });
    await result.completed; // the recorder observes the stream itself
    await recordingStored(result);
    const runId = recordedRunId(result)!;
    await store.close();

    const terminal = inspect(db, [runId]);
    await terminal.waitFor('starting_agent');
    terminal.keys('G');
    const screen = await terminal.waitFor((s) => statusLine(s).includes('#16/16'));
    // Tags print as the characters they are; control characters as visible stand-ins.
    expect(screen).toContain('hostile {blink}run{/blink}');
    expect(screen).toContain('A {red-fg}x{/} B ␛[2J C ␛]0;pwned␇ D {bold}');
    // The payload pane (JSON) shows them as JSON escapes, still inert.
    expect(screen).toContain('{red-fg}x{/}');
    // The title was not set, the screen not cleared: the UI is intact.
    expect(terminal.display('#{pane_title}')).not.toContain('pwned');
    expect(screen).toContain('Timeline');
    await quitAndCheckRestored(terminal);
  });

  it('follows a run while it is being recorded', async () => {
    const db = join(tempDir(), 'live.db');
    const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
    // A demo run taking its time for real (--live; about 4 s at this pace), recorded by another process.
    const recorder = spawn(process.execPath, [main, '--db', db, 'demo', '--live', '--pace', '0.5', '--scenario', 'latency-regression', '--quiet'], {
      env: { ...process.env, OPENAI_AGENTS_DISABLE_TRACING: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => recorder.on('exit', resolve));
    try {
      let running: { id: string } | undefined;
      while (!running) {
        const listed = runCli(['ls', '--json', '--status', 'running'], { db });
        running = listed.status === 0 ? (JSON.parse(listed.stdout) as { id: string }[])[0] : undefined;
        if (!running) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const terminal = inspect(db, ['last']);
      // The header and the status line are painted as their reads come back: wait for the frame that has both.
      let screen = await terminal.waitFor((s) => s.includes('● recording') && statusLine(s).includes('▶ playing'));
      const firstSeen = Number(/#(\d+)\/(\d+)/.exec(statusLine(screen))![2]);
      screen = await terminal.waitFor((s) => Number(/#(\d+)\/(\d+)/.exec(statusLine(s))?.[2] ?? 0) > firstSeen);
      expect(screen).toContain('● live: following new events');
      screen = await terminal.waitFor(' completed ', 20_000);
      await exited;
      const [finished] = JSON.parse(runCli(['ls', '--json'], { db }).stdout) as { eventCount: number }[];
      await terminal.waitFor((s) => statusLine(s).includes(`#${finished!.eventCount - 1}/${finished!.eventCount - 1}`));
      await quitAndCheckRestored(terminal);
    } finally {
      recorder.kill();
      await exited;
    }
  });
});
