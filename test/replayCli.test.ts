import { spawn } from 'node:child_process';

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { runCli, runCliAll } from './support/cli.js';
import { storeSyntheticRun } from './support/syntheticRun.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();

function demoDb(): string {
  const db = join(tempDir(), 'demo.db');
  expect(runCli(['demo', '--pace', '0', '--quiet', '--scenario', 'duplicate-charge-and-outage'], { db }).status).toBe(0);
  return db;
}

describe('runtape replay', () => {
  it('prints the text with markers for agents, tools and handoffs', async () => {
    const db = demoDb();
    const out = runCli(['replay', 'last', '--speed', 'instant'], { db });
    expect(out.status).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toMatch(/^── \+\d+\.\d{3}s ▶ Triage Agent$/);
    expect(out.stdout).toMatch(/── \+\d+\.\d{3}s handoff: Triage Agent → Billing Agent\n/);
    expect(out.stdout).toMatch(/── \+\d+\.\d{3}s call find_duplicate_charges\(/);
    expect(out.stdout).toMatch(/── \+\d+\.\d{3}s → Technical Support Agent\n/);
    expect(out.stdout.trimEnd().split('\n').at(-1)).toBe('── end completed');
    // The final answer streams as text, whole.
    const finalOutput = (await (await openStore(db, { readonly: true })).resolveRun('last')).finalOutput as string;
    expect(out.stdout).toContain(finalOutput);
  });

  it('prints stored events as JSON lines, exactly as export does, and honours filters and ranges', async () => {
    const db = demoDb();
    const jsonl = ['replay', 'last', '--speed', 'instant', '--format', 'jsonl'];
    const [all, exportOut, only, levels, range, events] = await runCliAll(
      [
        jsonl,
        ['export', 'last'],
        [...jsonl, '--only', 'handoff_occurred,tool_called'],
        [...jsonl, '--levels', 'agent'],
        [...jsonl, '--from', '10', '--to', '#12'],
        ['replay', 'last', '--speed', 'instant', '--format', 'events', '--levels', 'item'],
      ],
      { db },
    );
    // The export's event lines (after the header; the captures follow them).
    const exported = exportOut.stdout.split('\n').slice(1).filter((line) => !line.startsWith('{"capture"')).join('\n');
    expect(all.stdout).toBe(exported);

    const names = only.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).name);
    expect(new Set(names)).toEqual(new Set(['handoff_occurred', 'tool_called']));
    expect(names.filter((n) => n === 'handoff_occurred')).toHaveLength(3);

    expect(levels.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).agent)).toEqual(['Triage Agent', 'Billing Agent', 'Triage Agent', 'Technical Support Agent']);

    expect(range.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).seq)).toEqual([10, 11, 12]);

    expect(events.stdout).toMatch(/^\+\d+\.\d{3}s {2}#\d+ +item +Triage Agent +reasoning_item_created +reasoning: /);
  });

  it('refuses bad options in one line', async () => {
    const db = demoDb();
    const cases: [string[], RegExp][] = [
      [['--speed', '1000'], /speed must be between 0.1 and 100/],
      [['--speed', 'fast'], /--speed: expected a number/],
      [['--levels', 'raw,tokens'], /unknown level "tokens"/],
      [['--from', 'soon'], /--from: expected a seq/],
      [['--format', 'html'], /--format: expected one of text, events, jsonl/],
    ];
    const outs = await runCliAll(cases.map(([args]) => ['replay', 'last', ...args]), { db });
    for (const [i, [, message]] of cases.entries()) {
      expect(outs[i].status).toBe(1);
      expect(outs[i].stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
    }
  });

  it('never lets recorded escape sequences reach the terminal', async () => {
    const db = join(tempDir(), 'hostile.db');
    const store = await openStore(db);
    const hostile = 'safe \x1b[2J\x1b]0;pwned\x07 \x9b31m \u202e txt \x00 end';
    await storeSyntheticRun(store, [
      { tUs: 5, level: 'raw', name: 'output_text_delta', agent: 'A', payload: { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: hostile } } },
      {
        tUs: 9,
        level: 'item',
        name: 'tool_called',
        agent: 'A',
        payload: { type: 'run_item_stream_event', name: 'tool_called', item: { type: 'tool_call_item', rawItem: { name: `t\x1b[31m`, arguments: hostile } } },
      },
    ]);
    await store.close();
    for (const out of await runCliAll(['text', 'events'].map((format) => ['replay', 'last', '--speed', 'instant', '--format', format]), { db })) {
      expect(out.status).toBe(0);
      expect(out.stdout).toContain('␛[2J');
      expect(out.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
    }
  });

  it('stops cleanly on Ctrl-C', async () => {
    const db = join(tempDir(), 'slow.db');
    const store = await openStore(db);
    await storeSyntheticRun(store, [
      { tUs: 1000, level: 'agent', name: 'agent_updated', agent: 'B' },
      { tUs: 60_000_000, level: 'agent', name: 'agent_updated', agent: 'C' },
    ]);
    await store.close();
    const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
    const child = spawn(process.execPath, [main, '--db', db, 'replay', 'last'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const sawB = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('→ B')) resolve();
      }),
    );
    await sawB;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('── stopped');
    expect(stdout).not.toContain('→ C');
  });
});

