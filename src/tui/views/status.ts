import { formatDuration, formatOffset } from '../../display/format.js';
import { EVENT_LEVELS, type EventLevel } from '../../events/levels.js';
import { sanitizeLine } from '../../events/sanitize.js';
import type { SeqRange } from '../../store/types.js';
import { formatSpeed, type Speed } from '../../replay/speed.js';
import { LEVEL_TOGGLES, RUN_KEYS, keyFor } from '../keys.js';
import { span, type Line } from './styled.js';
import { GAP_MARK_US } from './timeline.js';

export interface TimingInput {
  playing: boolean;
  atEnd: boolean;
  speed: Speed;
  idleLimitUs: number | null;
  /** The playback clock, µs into the run. */
  clockUs: number;
  /** The run's duration (so far, for a run still recording). */
  totalUs: number;
  ttftUs: number | null;
  tokensPerSecond: number | null;
  /** How much of the run has been analysed (0..1): TTFT and tokens/s are final at 1. */
  analysed: number;
  /** Silence between the selected event and the one recorded before it. */
  gapBeforeUs: number | null;
  selectedSeq: number | null;
  lastSeq: number;
  /** Playing stops when a handoff occurs. */
  pauseOnHandoff?: boolean;
  /** Events the recorder lost (its writer stuck or dead). */
  gaps?: readonly SeqRange[];
}

const SEP = span('  ');

/**
 * The timing status line: play state, clock, TTFT, tokens/s, the gap before the selected event. Short
 * enough for 80 columns; the idle cap shows only when on.
 */
export function timingLine(t: TimingInput): Line {
  const pending = t.analysed < 1 ? '…' : '';
  const line: Line = [
    t.playing ? span(`▶ playing ${formatSpeed(t.speed)}`, { fg: 'green', bold: true }) : span(`❚❚ paused ${formatSpeed(t.speed)}`, { bold: true }),
    SEP,
    span(`${formatOffset(t.clockUs)}/${formatOffset(t.totalUs).slice(1)}`, { bold: true }),
    SEP,
    span(`TTFT ${t.ttftUs === null ? '—' : formatDuration(t.ttftUs)}${pending}`),
    SEP,
    span(`${t.tokensPerSecond === null ? '—' : t.tokensPerSecond.toFixed(1)}${pending} tok/s`),
    SEP,
    span(`gap ${formatDuration(t.gapBeforeUs)}`, { fg: t.gapBeforeUs !== null && t.gapBeforeUs >= GAP_MARK_US ? 'yellow' : undefined }),
    SEP,
    span(`#${t.selectedSeq ?? '—'}/${t.lastSeq}`),
  ];
  if (t.idleLimitUs !== null) line.push(SEP, span(`idle cap ${formatDuration(t.idleLimitUs)}`, { fg: 'yellow' }));
  if (t.pauseOnHandoff) line.push(SEP, span('pause on handoff', { fg: 'yellow' }));
  const lost = (t.gaps ?? []).reduce((n, g) => n + g.toSeq - g.fromSeq + 1, 0);
  if (lost > 0) line.push(SEP, span(`${lost} event${lost === 1 ? '' : 's'} lost in ${t.gaps!.length} gap${t.gaps!.length === 1 ? '' : 's'}`, { fg: 'red', bold: true }));
  if (t.analysed < 1) line.push(SEP, span(`analysing ${Math.floor(t.analysed * 100)}%`, { fg: 'gray' }));
  else if (t.atEnd && !t.playing) line.push(SEP, span('end of run', { fg: 'gray' }));
  return line;
}

/**
 * The level filter, with how many events each level has (so far, while analysing), and the search term, with
 * how far its search is while one runs (`searching` from 0 to 1).
 */
export function filterLine(input: { shown: ReadonlySet<EventLevel>; counts: Record<EventLevel, number>; search: string | null; searching?: number | null }): Line {
  const line: Line = EVENT_LEVELS.flatMap((level) => [
    span(`[${input.shown.has(level) ? 'x' : ' '}] ${keyFor(RUN_KEYS, LEVEL_TOGGLES[level])} ${level} ${input.counts[level]}`, input.shown.has(level) ? { bold: true } : { fg: 'gray' }),
    span('  '),
  ]);
  if (input.search === null) return line;
  line.push(span(`/${sanitizeLine(input.search)}`, { fg: 'yellow' }));
  const searching = input.searching ?? null;
  line.push(searching === null ? span('  n/N next/previous match', { fg: 'gray' }) : span(`  searching… ${Math.floor(searching * 100)}%`, { fg: 'yellow' }));
  return line;
}
