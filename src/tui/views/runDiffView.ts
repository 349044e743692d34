import { formatRunTiming } from '../../display/format.js';
import { sanitizeLine } from '../../events/sanitize.js';
import { quoteValue, type Difference, type DifferenceField } from '../../rerun/difference.js';
import type { RecordedRun } from '../../rerun/recordedRun.js';
import { callFacts, runFacts, type CallFacts, type Handoff, type RunDiff } from '../../rerun/runDiff.js';
import { span, type Line } from './styled.js';
import { fitWidth, wrapWidth } from './width.js';

/**
 * One row of the side-by-side comparison: a section's title (the run, a call, the end) or one field of it, with
 * what each run shows there. A row where `runtape diff` reports a difference carries it, and is highlighted.
 */
export interface DiffRow {
  section: boolean;
  label: string;
  a: string;
  b: string;
  difference?: Difference;
}

/** A value too long for its column wraps onto this many lines at most when it differs (an equal one keeps to one). */
const DIFFERENCE_LINES = 4;
const LABEL_WIDTH = 16;
const NO_CALL = '— (no such call)';

/**
 * The rows of two runs side by side: the run as a whole, then call by call, aligned by number (call 1 with
 * call 1), then the final output. Which rows differ is what `diffRuns` found, never compared here again; a
 * differing row shows the two values it reported.
 */
export function diffRows(a: RecordedRun, b: RecordedRun, diff: RunDiff): DiffRow[] {
  const byPlace = new Map(diff.differences.map((d) => [`${d.call} ${d.field}`, d]));
  const find = (call: number | null, field: DifferenceField) => byPlace.get(`${call} ${field}`);
  const [ra, rb] = [runFacts(a), runFacts(b)];
  const rows: DiffRow[] = [];
  const row = (label: string, va: string, vb: string, difference?: Difference) => rows.push({ section: false, label, a: va, b: vb, ...(difference ? { difference } : {}) });
  rows.push({ section: true, label: 'run', a: a.run.id, b: b.run.id });
  row('status', ra.status, rb.status, find(null, 'status'));
  row("agents' path", ra.path.join(' → '), rb.path.join(' → '), find(null, 'path'));
  row('handoffs', handoffsText(ra.handoffs), handoffsText(rb.handoffs), find(null, 'handoffs'));
  row('model calls', String(ra.calls), String(rb.calls), find(null, 'calls'));
  row('timing', formatRunTiming(diff.timing.a), formatRunTiming(diff.timing.b)); // stated, never compared
  for (let i = 0; i < Math.max(a.calls.length, b.calls.length); i++) {
    const ca = a.calls[i] && callFacts(a, a.calls[i]!);
    const cb = b.calls[i] && callFacts(b, b.calls[i]!);
    const number = (cb ?? ca)!.call;
    const agentDifference = find(number, 'agent');
    rows.push({ section: true, label: `call ${number}`, a: ca ? `agent ${ca.agent}` : NO_CALL, b: cb ? `agent ${cb.agent}` : NO_CALL, ...(agentDifference ? { difference: agentDifference } : {}) });
    // A call only one run made shows on its side alone (the number of calls differs, above).
    for (const [label, field, text] of CALL_FIELDS) row(label, ca ? text(ca) : '', cb ? text(cb) : '', find(number, field));
  }
  rows.push({ section: true, label: 'end', a: '', b: '' });
  row('final output', quoteValue(ra.finalOutput), quoteValue(rb.finalOutput), find(null, 'finalOutput'));
  return rows;
}

/** The fields shown for a call present in both runs, and how each shows when equal. */
const CALL_FIELDS: readonly [string, DifferenceField, (call: CallFacts) => string][] = [
  ['instructions', 'instructions', (c) => quoteValue(c.request.instructions)],
  ['input', 'input', (c) => inputText(c.request.input)],
  ['tools', 'tools', (c) => (Array.isArray(c.request.tools) ? (c.request.tools as { name: string }[]).map((t) => t.name).join(', ') || 'none' : 'not recorded')],
  ['model', 'model', (c) => String(c.request.model ?? '—')],
  ['tool calls', 'toolCalls', (c) => c.toolCalls.map((t) => `${String(t.name)}(${String(t.arguments)})`).join(', ') || 'none'],
  ['tool outputs', 'toolOutputs', (c) => c.toolOutputs.map((t) => `${String(t.name)} → ${quoteValue(t.output)}`).join(', ') || 'none'],
  ['handoffs', 'handoffs', (c) => handoffsText(c.handoffs)],
];

/** Input items by their number (a long run's are many); a string input as itself; none when the recording does not hold it. */
function inputText(input: unknown): string {
  if (input === undefined) return 'not recorded';
  return Array.isArray(input) ? `${input.length} ${input.length === 1 ? 'item' : 'items'}` : quoteValue(input);
}

function handoffsText(handoffs: readonly Handoff[]): string {
  return handoffs.map((h) => `${String(h.from)} → ${String(h.to)}`).join(', ') || 'none';
}

/** A row's lines at this width: a differing value wraps (up to DIFFERENCE_LINES), others keep to one. */
export function rowLines(row: DiffRow, width: number): Line[] {
  const column = columnWidth(width);
  const [linesA, linesB] = sideTexts(row, column);
  const marked = row.difference !== undefined;
  const labelStyle = row.section ? { bold: true, fg: 'cyan' as const } : { fg: 'gray' as const };
  const valueStyle = marked ? { fg: 'black' as const, bg: 'yellow' as const } : row.section ? { bold: true } : undefined;
  return Array.from({ length: Math.max(linesA.length, linesB.length) }, (_, i) => [
    span(fitWidth(i === 0 ? `${marked ? '≠ ' : '  '}${row.label}` : '', LABEL_WIDTH), i === 0 && marked ? { fg: 'yellow', bold: true } : labelStyle),
    span(fitWidth(linesA[i] ?? '', column), valueStyle),
    span(' │ ', { fg: 'gray' }),
    span(fitWidth(linesB[i] ?? '', column), valueStyle),
  ]);
}

/** Where each row starts, in lines, and (last) the total: scrolling moves by lines, a long difference taking several. */
export function rowStarts(rows: readonly DiffRow[], width: number): number[] {
  const column = columnWidth(width);
  const starts: number[] = [];
  let line = 0;
  for (const row of rows) {
    starts.push(line);
    line += row.difference ? Math.max(...sideTexts(row, column).map((lines) => lines.length)) : 1;
  }
  starts.push(line);
  return starts;
}

/** The header over the two columns, each side's run named. */
export function columnsLine(a: string, b: string, width: number): Line {
  const column = columnWidth(width);
  return [span(fitWidth('', LABEL_WIDTH)), span(fitWidth(sanitizeLine(a), column)), span(' │ '), span(fitWidth(sanitizeLine(b), column))];
}

function columnWidth(width: number): number {
  return Math.max(4, Math.floor((width - LABEL_WIDTH - 3) / 2));
}

/** Each side's text, as lines of the column: a differing row shows the two values the difference holds. */
function sideTexts(row: DiffRow, column: number): [string[], string[]] {
  if (!row.difference) return [[sanitizeLine(row.a)], [sanitizeLine(row.b)]];
  const wrap = (value: unknown) => wrapWidth(sanitizeLine(quoteValue(value)), column, DIFFERENCE_LINES);
  return [wrap(row.difference.a), wrap(row.difference.b)];
}
