/**
 * `npm run bench`: runs the registered benchmarks, prints a table, writes bench/results.json.
 *   npm run bench -- [--quick] [name …]   (--quick: tiny workloads, to check the bench runs; names: substrings)
 */
import { setTracingDisabled } from '@openai/agents';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext, Figure } from './benchmark.js';
import { benchmarks } from './registry.js';
import { formatTable } from './table.js';

setTracingDisabled(true); // offline: tracing would try to export to OpenAI

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wanted = args.filter((a) => !a.startsWith('--'));
const selected = benchmarks.filter((b) => wanted.length === 0 || wanted.some((w) => b.name.includes(w)));

const scratch = mkdtempSync(join(tmpdir(), 'runtape-bench-'));
let dirs = 0;
const context: BenchContext = {
  tempDir() {
    const dir = join(scratch, String(++dirs));
    mkdirSync(dir);
    return dir;
  },
  size: (n) => (quick ? Math.max(1, Math.round(n / 50)) : n),
  log: (line) => process.stderr.write(line + '\n'),
};

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${process.platform}`;
const started = performance.now();
const figures: Figure[] = [];
try {
  for (const benchmark of selected) {
    context.log(`${benchmark.name} …`);
    const t0 = performance.now();
    figures.push(...(await benchmark.run(context)));
    context.log(`${benchmark.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const seconds = (performance.now() - started) / 1000;

process.stdout.write(`runtape bench — ${machine}${quick ? ' — QUICK (not a measurement)' : ''}\n\n${formatTable(figures)}\n\ntotal ${seconds.toFixed(0)} s\n`);
const results = { date: new Date().toISOString(), machine, quick, seconds, figures };
writeFileSync(fileURLToPath(new URL('./results.json', import.meta.url)), JSON.stringify(results, null, 2) + '\n');
