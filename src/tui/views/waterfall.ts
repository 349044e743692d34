import type { WaterfallKind, WaterfallRow } from '../../analysis/waterfall.js';
import { formatDuration, formatOffset } from '../../display/format.js';
import { sanitizeLine } from '../../events/sanitize.js';
import type { AgentColours } from './agentColours.js';
import { span, type Colour, type Line, type SpanStyle } from './styled.js';
import { fitWidth } from './width.js';

export interface WaterfallInput {
  rows: readonly WaterfallRow[];
  /** The playhead's row (see `rowAt`), null before the first. */
  selected: number | null;
  /** The first row of the window shown last frame: the window stays put while the selection is inside it. */
  top: number;
  /** The playback clock and the run's length, µs: the time axis runs from 0 to `totalUs`. */
  clockUs: number;
  totalUs: number;
  width: number;
  /** Lines the pane has: the time axis, then rows. */
  height: number;
  colours: AgentColours;
}

export interface WaterfallView {
  lines: Line[];
  /** The window's first row, to hand back next frame. */
  top: number;
}

/** Bars of kinds other than agents take a colour of their own; agent spans take the agent's. */
const KIND_COLOURS: Record<Exclude<WaterfallKind, 'agent'>, Colour> = {
  model: 'light-blue',
  tool: 'magenta',
  guardrail: 'green',
  handoff: 'yellow',
  gap: 'red',
};

const BAR_CHARS: Record<WaterfallKind, string> = { agent: '━', model: '█', tool: '█', guardrail: '█', handoff: '◆', gap: '╳' };
/** A model call before its first token: waiting on the model. */
const WAITING_CHAR = '░';
const DURATION_WIDTH = 9;

/**
 * The waterfall pane: a time axis, then one line per row of the window in view (never more than fit, so a
 * run of any length draws what a small one does): the row's name, indented under its agent, a bar from its
 * start to its end in proportion to the run's length (a model call light until its first token), its
 * duration, and the playhead as a column through every row. Rows still ahead of the playhead are grey.
 */
export function waterfallView(input: WaterfallInput): WaterfallView {
  const { rows, width } = input;
  const visible = Math.max(0, input.height - 1);
  const top = windowTop(input.top, input.selected, rows.length, visible);
  const labelWidth = Math.max(12, Math.min(32, Math.floor(width * 0.3)));
  const barWidth = Math.max(4, width - 2 - labelWidth - 1 - DURATION_WIDTH);
  const scale = new TimeScale(input.totalUs, barWidth);
  const cursor = scale.cell(input.clockUs);
  const lines: Line[] = [axisLine(input.clockUs, input.totalUs, labelWidth, barWidth, cursor)];
  for (const [i, row] of rows.slice(top, top + visible).entries()) {
    const selected = top + i === input.selected;
    const ahead = row.startUs > input.clockUs;
    const base: SpanStyle = selected ? { inverse: true, bold: true } : ahead ? { fg: 'gray' } : {};
    const colour = row.kind === 'agent' ? input.colours.of(row.agent) : KIND_COLOURS[row.kind];
    const label = `${'  '.repeat(row.depth)}${labelOf(row)}`;
    const duration = row.endUs === null ? '…' : formatDuration(row.endUs - row.startUs);
    lines.push([
      span(selected ? '▶ ' : '  ', base),
      span(fitWidth(sanitizeLine(label), labelWidth) + ' ', selected || ahead ? base : row.kind === 'agent' ? { fg: colour, bold: true } : {}),
      ...barSpans(row, scale, cursor, ahead ? 'gray' : row.failed ? 'red' : colour),
      span(' ' + fitWidth(duration, DURATION_WIDTH - 1).trimEnd().padStart(DURATION_WIDTH - 1), base),
    ]);
  }
  return { lines, top };
}

/** The window's top: kept while the selected row is in view, else moved to show it; never past the end. */
export function windowTop(top: number, selected: number | null, count: number, visible: number): number {
  let next = top;
  if (selected !== null) {
    const margin = Math.min(2, Math.floor(visible / 4));
    if (selected < next + margin) next = selected - margin;
    else if (selected > next + visible - 1 - margin) next = selected - visible + 1 + margin;
  }
  return Math.max(0, Math.min(next, count - visible));
}

function labelOf(row: WaterfallRow): string {
  switch (row.kind) {
    case 'tool':
      // A tool call that ran an agent used as a tool names the child run it recorded (enter opens it).
      return `${row.label}()${row.childRun ? ` → ${row.childRun.runId.slice(0, 8)}` : ''}`;
    case 'guardrail':
      return `guard ${row.label}`;
    case 'model':
      return row.modelCall?.model ? `${row.label} ${row.modelCall.model}` : row.label;
    default:
      return row.label;
  }
}

/** Run time to bar cells: cell i covers [i, i+1) × totalUs / cells. */
class TimeScale {
  constructor(
    readonly totalUs: number,
    readonly cells: number,
  ) {}

  cell(us: number): number {
    if (this.totalUs <= 0) return 0;
    return Math.max(0, Math.min(this.cells - 1, Math.floor((us / this.totalUs) * this.cells)));
  }
}

function axisLine(clockUs: number, totalUs: number, labelWidth: number, barWidth: number, cursor: number): Line {
  const start = '+0s';
  const end = formatOffset(totalUs);
  const middle = Math.max(0, barWidth - start.length - end.length);
  const axis = fitWidth(start + '┈'.repeat(middle) + end, barWidth);
  const chars = [...axis];
  return [
    span('  ' + fitWidth(`time  ${formatOffset(clockUs)}`, labelWidth) + ' ', { fg: 'gray' }),
    span(chars.slice(0, cursor).join(''), { fg: 'gray' }),
    span('▼', { fg: 'yellow', bold: true }),
    span(chars.slice(cursor + 1).join(''), { fg: 'gray' }),
    span(' '.repeat(DURATION_WIDTH)),
  ];
}

/** The bar cells of a row, the playhead's column marked, as spans of one style each. */
function barSpans(row: WaterfallRow, scale: TimeScale, cursor: number, colour: Colour): Line {
  const from = scale.cell(row.startUs);
  const to = Math.max(from + 1, row.endUs === null ? scale.cells : Math.ceil((row.endUs / Math.max(1, scale.totalUs)) * scale.cells));
  const firstToken = row.firstTokenUs === null || row.firstTokenUs === undefined ? null : scale.cell(row.firstTokenUs);
  const cells: { ch: string; style: SpanStyle }[] = [];
  for (let i = 0; i < scale.cells; i++) {
    const inBar = i >= from && i < to;
    // A model call is light while it waits for its first token, solid once it streams (or when none streamed).
    const ch = !inBar ? ' ' : row.kind === 'model' && firstToken !== null && i < firstToken ? WAITING_CHAR : BAR_CHARS[row.kind];
    const style: SpanStyle = inBar ? { fg: colour } : {};
    cells.push(i === cursor ? (inBar ? { ch, style: { ...style, inverse: true } } : { ch: '│', style: { fg: 'yellow' } }) : { ch, style });
  }
  const spans: Line = [];
  for (const cell of cells) {
    const last = spans.at(-1);
    if (last && sameStyle(last.style, cell.style)) last.text += cell.ch;
    else spans.push({ text: cell.ch, style: cell.style });
  }
  return spans;
}

function sameStyle(a: SpanStyle | undefined, b: SpanStyle | undefined): boolean {
  return a?.fg === b?.fg && a?.bg === b?.bg && a?.bold === b?.bold && a?.inverse === b?.inverse;
}
