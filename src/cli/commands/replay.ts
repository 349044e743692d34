import { RuntapeError } from '../../errors.js';
import { parseLevels } from '../../events/levels.js';
import { GapMarks } from '../../replay/gapMarks.js';
import { Playback } from '../../replay/playback.js';
import { parseRunPoint, parseSpeed, type RunPoint } from '../../replay/speed.js';
import { REPLAY_FORMATS, TerminalFormatter, type ReplayFormat } from '../../replay/terminalFormat.js';
import type { EventFilter, RunStore } from '../../store/runStore.js';

export interface ReplayCommandOptions {
  speed?: string;
  idleLimit?: string;
  levels?: string;
  only?: string;
  agent?: string;
  from?: string;
  to?: string;
  format?: string;
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean);
}

async function seqOf(store: RunStore, runId: string, point: RunPoint, edge: 'from' | 'to'): Promise<number> {
  if ('seq' in point) return point.seq;
  const first = await store.seqAtTime(runId, point.tUs);
  if (first === undefined) return (await store.lastSeq(runId)) + (edge === 'from' ? 1 : 0);
  return edge === 'from' ? first : first - 1;
}

/**
 * Prints a recorded run as it happened: text at the recorded pace with one-line markers for agents,
 * tools and handoffs (or every event, or JSON lines). Ctrl-C stops it cleanly.
 */
export async function replayCommand(
  store: RunStore,
  ref: string,
  options: ReplayCommandOptions,
  write: (text: string) => void | Promise<void>,
): Promise<void> {
  const format = (options.format ?? 'text') as ReplayFormat;
  if (!REPLAY_FORMATS.includes(format)) throw new RuntapeError(`--format: expected one of ${REPLAY_FORMATS.join(', ')} (got "${options.format}")`);
  const speed = parseSpeed(options.speed ?? '1');
  let idleLimitUs: number | null = null;
  if (options.idleLimit !== undefined) {
    const seconds = Number(options.idleLimit);
    if (!Number.isFinite(seconds) || seconds < 0) throw new RuntapeError(`--idle-limit: expected seconds ≥ 0 (got "${options.idleLimit}")`);
    idleLimitUs = Math.round(seconds * 1e6);
  }
  const levels = options.levels === undefined ? undefined : parseLevels(options.levels);
  const filter: EventFilter = {
    ...(levels ? { levels } : {}),
    ...(options.only ? { names: list(options.only)! } : {}),
    ...(options.agent ? { agents: list(options.agent)! } : {}),
  };
  const run = await store.resolveRun(ref);
  const from = options.from === undefined ? undefined : parseRunPoint(options.from, '--from');
  const to = options.to === undefined ? undefined : parseRunPoint(options.to, '--to');

  const afterSeq = from ? (await seqOf(store, run.id, from, 'from')) - 1 : undefined;
  const toSeq = to ? await seqOf(store, run.id, to, 'to') : undefined;
  const playback = new Playback(store, run.id, {
    speed,
    idleLimitUs,
    filter,
    ...(afterSeq !== undefined ? { afterSeq } : {}),
    ...(toSeq !== undefined ? { toSeq } : {}),
  });
  const gaps = new GapMarks(run.gaps, afterSeq);
  // Starting from a time: the wait before the first event counts from that time, not from the event before.
  if (from && 'tUs' in from) await playback.seekTime(from.tUs);

  const formatter = new TerminalFormatter(format, {
    textFromItems: levels !== undefined && !levels.includes('raw'),
    width: process.stdout.columns ?? 160,
  });
  let interrupted = false;
  const stop = () => {
    interrupted = true;
    playback.dispose();
  };
  process.once('SIGINT', stop);
  try {
    // A slow reader (a pipe) slows the replay rather than letting output pile up in memory.
    for await (const event of playback) {
      for (const gap of gaps.before(event.seq)) await write(formatter.gap(gap));
      await write(formatter.render(event));
    }
    if (!interrupted) for (const gap of gaps.rest(toSeq)) await write(formatter.gap(gap));
  } finally {
    process.off('SIGINT', stop);
  }
  await write(formatter.finish(interrupted ? 'stopped' : `end ${run.status}`));
  if (interrupted) process.exitCode = 130;
}
