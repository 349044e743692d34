import { join } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { runCli } from './cli.js';

/**
 * A demo run's export, made once for a test file (in `dir()`), for tests that feed `import` a file with one
 * line changed: `edited(index, edit)` is the export with line `index` (0 is the header) changed by `edit`;
 * `original()` is the export as runtape wrote it.
 */
export function useDemoExport(dir: () => string): {
  edited: (index: number, edit: (value: Record<string, any>) => void) => string;
  original: () => string;
} {
  let lines: string[];
  beforeAll(() => {
    const db = join(dir(), 'runs.db');
    expect(runCli(['demo', '--pace', '0', '--quiet', '--scenario', 'latency-regression'], { db }).status).toBe(0);
    lines = runCli(['export', 'last'], { db }).stdout.trimEnd().split('\n');
  });
  return {
    edited(index, edit) {
      const copy = [...lines];
      const value = JSON.parse(copy[index]!);
      edit(value);
      copy[index] = JSON.stringify(value);
      return copy.join('\n') + '\n';
    },
    original: () => lines.join('\n') + '\n',
  };
}
