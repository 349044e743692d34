import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, Figure } from './benchmark.js';
import type { RerunRunConfig, RerunRunMeasured } from './children/rerunRun.js';
import { pairedRatios, summarize } from './stats.js';

const CHILD = fileURLToPath(new URL('./children/rerunRun.ts', import.meta.url));
const CALLS = 1_000;
const PAIRS = 5;

function runChild(config: RerunRunConfig): string {
  return execFileSync(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { encoding: 'utf8' });
}

/**
 * Re-running a recording against the same run on the SDK's ScriptedModel: both sides recorded by a
 * RecordingRunner (capture on), each in a process of its own, in pairs whose order alternates. The re-run
 * reads its recording, matches each request strictly and serves the recorded events at instant pace.
 */
export const rerunOverhead: Benchmark = {
  name: 'rerun overhead',
  async run(context) {
    const calls = context.size(CALLS);
    const sourceDb = join(context.tempDir(), 'source.db');
    runChild({ side: 'record', calls, db: sourceDb, warmUps: 0 });
    const rerun: RerunRunMeasured[] = [];
    const scripted: RerunRunMeasured[] = [];
    for (let i = 0; i < PAIRS; i++) {
      context.log(`  pair ${i + 1}/${PAIRS}`);
      const side = (which: 'rerun' | 'scripted') =>
        JSON.parse(runChild({ side: which, calls, db: join(context.tempDir(), `${which}.db`), sourceDb, warmUps: 3 })) as RerunRunMeasured;
      if (i % 2 === 0) (rerun.push(side('rerun')), scripted.push(side('scripted')));
      else (scripted.push(side('scripted')), rerun.push(side('rerun')));
    }
    const what = `re-running a ${calls.toLocaleString('en')}-call recording, instant pace, both sides recorded`;
    const figure = (name: string, of: (m: RerunRunMeasured) => number, note: string): Figure => ({
      name,
      unit: 'ms',
      value: summarize(rerun.map(of)),
      baseline: { name: 'the same run on ScriptedModel', value: summarize(scripted.map(of)) },
      ratio: summarize(pairedRatios(rerun.map(of), scripted.map(of))),
      target: { atMost: 2 },
      note,
    });
    return [
      figure(what, (m) => m.storedMs, `a tool call per model call, then the answer; strict matching; from run() until the recording is stored, reading the source included; ${PAIRS} pairs of processes`),
      figure(`${what}: CPU time`, (m) => m.cpuMs, 'the process\'s user + system time over the same span (writer thread included): steadier than wall time on a shared machine'),
    ];
  },
};
