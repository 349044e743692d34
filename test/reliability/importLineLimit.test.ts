/**
 * An import reads its file line by line with a limit on a line's length, enforced while the line arrives:
 * an endless line is refused after the limit, not read into memory until the process dies.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from '../support/cli.js';
import { useSharedTempDir, useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();
const sharedDir = useSharedTempDir();

let exportFile: string;
let lines: string[];
beforeAll(() => {
  const dir = sharedDir();
  const db = join(dir, 'runs.db');
  expect(runCli(['demo', '--pace', '0', '--quiet', '--scenario', 'latency-regression'], { db }).status).toBe(0);
  exportFile = join(dir, 'run.jsonl');
  expect(runCli(['export', 'last', '-o', exportFile], { db }).status).toBe(0);
  lines = readFileSync(exportFile, 'utf8').trimEnd().split('\n');
});

const ls = (db: string) => JSON.parse(runCli(['ls', '--json'], { db }).stdout) as unknown[];

describe('import line limit', () => {
  it('takes a line of exactly the limit, refuses one byte more naming the line, and imports nothing', () => {
    const longest = Math.max(...lines.map((l) => Buffer.byteLength(l)));
    const lineNumber = lines.findIndex((l) => Buffer.byteLength(l) === longest) + 1;
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    const refused = runCli(['import', exportFile], { db, env: { RUNTAPE_MAX_LINE_BYTES: String(longest - 1) } });
    expectOneLineError(refused, new RegExp(`run\\.jsonl:${lineNumber}: line longer than ${longest - 1} bytes \\(RUNTAPE_MAX_LINE_BYTES raises the limit\\); nothing was imported$`));
    expect(ls(db)).toEqual([]);
    const taken = runCli(['import', exportFile], { db, env: { RUNTAPE_MAX_LINE_BYTES: String(longest) } });
    expect(taken.stderr).toBe('');
    expect(ls(db)).toHaveLength(1);
  });

  it('refuses an endless line once the limit is read', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'endless.jsonl');
    execFileSync('mkfifo', [fifo]);
    // A header line, then a line that never ends: read whole, it would fill memory until the process died.
    const writer = spawn('sh', ['-c', `{ head -n 1 '${exportFile}'; yes x | tr -d '\\n'; } > '${fifo}'`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => writer.once('exit', resolve));
    try {
      const out = runCli(['import', fifo], { db: join(dir, 'runs.db'), env: { RUNTAPE_MAX_LINE_BYTES: '1000000' }, timeoutMs: 20_000 });
      expectOneLineError(out, /endless\.jsonl:2: line longer than 1000000 bytes/);
    } finally {
      writer.kill();
      await exited;
    }
    expect(ls(join(dir, 'runs.db'))).toEqual([]);
  });

  it('says so when the limit is not a number', () => {
    const dir = tempDir();
    expectOneLineError(runCli(['import', exportFile], { db: join(dir, 'runs.db'), env: { RUNTAPE_MAX_LINE_BYTES: 'lots' } }), /RUNTAPE_MAX_LINE_BYTES must be a positive whole number of bytes, not "lots"$/);
  });

  it('reads CRLF line ends and a last line without one', () => {
    const dir = tempDir();
    const file = join(dir, 'crlf.jsonl');
    writeFileSync(file, lines.join('\r\n'));
    const out = runCli(['import', file], { db: join(dir, 'runs.db') });
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
  });
});
