/** How runtape shows times, durations, tables and recorded values to people (CLI, replay, inspector). */
import { truncateLine } from '../events/sanitize.js';
import type { RunRecord, SeqRange } from '../store/types.js';

/** A duration for people: 850 µs, 412 ms, 4.21 s, 3 m 05 s. */
export function formatDuration(us: number | null | undefined): string {
  if (us === null || us === undefined) return '—';
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${Math.round(us / 1000)} ms`;
  const s = us / 1_000_000;
  if (s < 60) return `${s.toFixed(2)} s`;
  const m = Math.floor(s / 60);
  return `${m} m ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
}

/** A run's timing beside a comparison (stated, never compared): `1.20 s, 3 model calls (840 ms in the model)`. */
export function formatRunTiming(timing: { durationUs: number | null; calls: number; modelUs: number }): string {
  return `${formatDuration(timing.durationUs)}, ${timing.calls} model calls (${formatDuration(timing.modelUs)} in the model)`;
}

/** A time offset in a run, fixed width: +12.345s. */
export function formatOffset(us: number): string {
  return `+${(us / 1_000_000).toFixed(3)}s`;
}

/** A wall-clock start, local time, to the second. */
export function formatStart(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Plain-text table: columns padded to their widest cell; every cell sanitized and kept to one line. */
export function formatTable(header: string[], rows: string[][], maxWidths: number[] = []): string {
  const cells = [header, ...rows].map((row) => row.map((cell, i) => truncateLine(cell, maxWidths[i] ?? 200)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => [...(row[i] ?? '')].length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A recorded value (input, output) as one safe line. */
export function formatValue(value: unknown, max = 160): string {
  if (value === null || value === undefined) return '—';
  return truncateLine(typeof value === 'string' ? value : JSON.stringify(value), max);
}

/** The agents a run went through, as recorded: starting agent … last agent. */
export function formatAgentSpan(run: Pick<RunRecord, 'startingAgent' | 'lastAgent'>): string {
  if (!run.startingAgent) return '—';
  return run.lastAgent && run.lastAgent !== run.startingAgent ? `${run.startingAgent} … ${run.lastAgent}` : run.startingAgent;
}

/** A stored record's mark when some of its columns could not be read: ` (unreadable: tags, metadata)`. */
export function formatUnreadable(record: { unreadable?: string[] }): string {
  return record.unreadable?.length ? ` (unreadable: ${record.unreadable.join(', ')})` : '';
}

/** The run a resumed run continues (it was interrupted for approval), by the short id lists show; '' for any other run. */
export function formatResumedFrom(run: Pick<RunRecord, 'resumedFrom'>): string {
  return run.resumedFrom?.slice(0, 8) ?? '';
}

/** A range of seqs: `#12–#40`, or `#12` for one. */
export function formatSeqRange(range: SeqRange): string {
  return range.fromSeq === range.toSeq ? `#${range.fromSeq}` : `#${range.fromSeq}–#${range.toSeq}`;
}

/** Why a recording has a gap, in the words `show` and `replay` use. */
export const GAP_CAUSE = "the recorder's writer was stuck or dead";

/** A recording's gap where a replay passes it: which events, how many, and why. */
export function formatGap(range: SeqRange): string {
  const count = range.toSeq - range.fromSeq + 1;
  return `${formatSeqRange(range)}: ${count} event${count === 1 ? '' : 's'} lost (${GAP_CAUSE})`;
}

/** A run's status in a list: with `(partial)` when the recording stopped early. */
export function formatRunStatus(run: Pick<RunRecord, 'status' | 'recording'>): string {
  return run.status + (run.recording === 'partial' ? ' (partial)' : '');
}
