/**
 * An import error quotes the file (a bad status, level or seq, the file's own name): what it quotes is
 * untrusted and reaches the terminal sanitized, as one line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from '../support/cli.js';
import { useDemoExport } from '../support/demoExport.js';
import { useSharedTempDir, useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();
const sharedDir = useSharedTempDir();

/** OSC 52 (writes the clipboard), clear screen, an 8-bit CSI, a bidi override, a zero-width space. */
const HOSTILE = '\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\u202eexe\u200b';
/** What a terminal would act on or hide: C0 (but newline) and C1 controls, DEL, format controls. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]|\p{Cf}|\p{Zl}|\p{Zp}/u;

const { edited } = useDemoExport(sharedDir);

describe('import errors', () => {
  const cases: [string, () => string, RegExp][] = [
    ['a run status', () => edited(0, (h) => (h.run.status = HOSTILE)), /:1: .*status/],
    ['an event level', () => edited(2, (e) => (e.level = HOSTILE)), /:3: .*level/],
    ['an event seq', () => edited(2, (e) => (e.seq = HOSTILE)), /:3: .*seq/],
    ['a format version', () => edited(0, (h) => (h.version = HOSTILE)), /:1: .*version/],
  ];
  for (const [what, contents, where] of cases) {
    it(`shows ${what} from the file as visible stand-ins, in one line`, () => {
      const dir = tempDir();
      const file = join(dir, 'run.jsonl');
      writeFileSync(file, contents());
      const out = runCli(['import', file], { db: join(dir, 'target.db') });
      expectOneLineError(out, where);
      expect(out.stderr).not.toMatch(UNSAFE);
      expect(out.stderr).toMatch(/␛\]52;c;ZXZpbA==␇|\\u001b\]52/);
    });
  }

  it('shows the file name sanitized', () => {
    const dir = tempDir();
    const file = join(dir, `run ${HOSTILE}.jsonl`);
    writeFileSync(file, readFileSync(join(sharedDir(), 'runs.db')).subarray(0, 100));
    const out = runCli(['import', file], { db: join(dir, 'target.db') });
    expectOneLineError(out, /run ␛\]52;c;ZXZpbA==␇␛\[2J<U\+009B>31m<U\+202E>exe<U\+200B>\.jsonl:1: /);
    expect(out.stderr).not.toMatch(UNSAFE);
  });
});
