import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConsumeConfig, Consumed } from './children/consumeRun.js';

/** The application process of the recorder benchmarks (children/consumeRun.ts), run through tsx. */
export const CONSUME_CHILD = fileURLToPath(new URL('./children/consumeRun.ts', import.meta.url));

/**
 * Waits until the kernel has written back what the processes before wrote (a recording's database, tens of
 * MB at a million events), so the writeback does not run while the next side is measured.
 */
export function settleDisk(): void {
  execFileSync('sync');
}

/** One side's process, once the disk has settled: what it measured. */
export function runConsumeChild(config: ConsumeConfig): Consumed {
  settleDisk();
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', CONSUME_CHILD, JSON.stringify(config)], { encoding: 'utf8' })) as Consumed;
}
