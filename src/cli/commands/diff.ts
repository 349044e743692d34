import { readRecordedRun } from '../../rerun/recordedRun.js';
import { diffRuns } from '../../rerun/runDiff.js';
import type { RunStore } from '../../store/runStore.js';
import { formatDifferences, formatJson, formatTiming } from '../differenceReport.js';

/** `runtape diff A B`: prints how two runs differ; resolves true when they do not. */
export async function diffCommand(store: RunStore, refA: string, refB: string, options: { json?: boolean }, print: (text: string) => void): Promise<boolean> {
  const a = await readRecordedRun(store, await store.resolveRun(refA));
  const b = await readRecordedRun(store, await store.resolveRun(refB));
  const diff = diffRuns(a, b);
  if (options.json) {
    print(formatJson({ equal: diff.equal, a: a.run.id, b: b.run.id, differences: diff.differences, timing: diff.timing }));
    return diff.equal;
  }
  const labels = { a: a.run.id.slice(0, 8), b: b.run.id.slice(0, 8) };
  const count = diff.differences.length;
  print(diff.equal ? `runs ${labels.a} and ${labels.b} are equal` : `runs ${labels.a} and ${labels.b} differ (${count} ${count === 1 ? 'difference' : 'differences'}):`);
  for (const line of formatDifferences(diff.differences, labels)) print(line);
  print(formatTiming(diff.timing, labels));
  return diff.equal;
}
