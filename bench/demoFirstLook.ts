import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './benchmark.js';
import { summarize, timeMs } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAINT = fileURLToPath(new URL('./children/paintInspector.ts', import.meta.url));
const ROUNDS = 3;
const GOAL_S = 10;

/** Wall time of each step, ms. */
interface Steps {
  build: number;
  record: number;
  open: number;
}

/**
 * `npm run demo` on a machine that has just run `npm ci`: the build, the demo's runs recorded (simulated clock,
 * realistic recorded timing), then the inspector opening the main run. The build and the recording are timed as
 * processes of their own, start to exit.
 */
async function firstLook(dir: string, round: number): Promise<Steps> {
  const out = join(dir, `round${round}`);
  const build = await timeMs(() => execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), join(out, 'dist')]));
  copyFileSync(join(ROOT, 'package.json'), join(out, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  const db = join(out, 'runs.db');
  let runId = '';
  const record = await timeMs(() => {
    const demo = spawnSync(process.execPath, [join(out, 'dist/cli/main.js'), '--db', db, 'demo', '--quiet'], { encoding: 'utf8' });
    if (demo.status !== 0) throw new Error(`runtape demo failed: ${demo.stderr}`);
    runId = /recorded run ([0-9a-f]+)/.exec(demo.stderr)?.[1] ?? '';
  });
  if (!runId) throw new Error('runtape demo named no run');
  // `demo --open` opens the inspector in the process that recorded: its part is the inspector's own time to paint.
  const painted = execFileSync(process.execPath, ['--import', 'tsx', PAINT, db, runId], { encoding: 'utf8', env: { ...process.env, TERM: 'xterm-256color' } });
  const { firstPaintMs } = JSON.parse(painted.trim().split('\n').at(-1)!) as { firstPaintMs: number };
  return { build, record, open: firstPaintMs };
}

/** Issue "Performance": from the end of `npm ci` to the inspector on screen in at most 10 s. */
export const demoFirstLook: Benchmark = {
  name: 'demo first look',
  async run(context) {
    const dir = context.tempDir();
    const rounds: Steps[] = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(await firstLook(dir, round));
    const seconds = (pick: (r: Steps) => number) => summarize(rounds.map((r) => pick(r) / 1000));
    const parts = (['build', 'record', 'open'] as const).map((part) => `${part} ${seconds((r) => r[part]).median.toFixed(2)} s`).join(', ');
    return [
      {
        name: '`npm run demo`: from the end of `npm ci` to the inspector on screen',
        unit: 's',
        value: seconds((r) => r.build + r.record + r.open),
        target: { value: { atMost: GOAL_S } },
        note: `${parts} (medians); a process per step, ${ROUNDS} rounds`,
      },
    ];
  },
};
