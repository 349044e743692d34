import type { HandoffStep } from '../../analysis/runAnalyzer.js';
import { formatOffset } from '../../display/format.js';
import { sanitizeLine, truncateLine } from '../../events/sanitize.js';
import type { AgentRecord } from '../../store/types.js';
import type { AgentColours } from './agentColours.js';
import { plainOf, span, type Line } from './styled.js';

export interface LaneInput {
  /** The agent graph at run start. */
  agents: readonly AgentRecord[];
  /** The agents in the order they were active, and the handoffs between them (what has been analysed so far). */
  path: readonly string[];
  handoffs: readonly HandoffStep[];
  /** The playhead: handoffs at or before it have happened. */
  position: number;
  width: number;
  colours: AgentColours;
}

export interface Lane {
  lines: Line[];
  /** The line to keep in view: the last handoff that has happened. */
  focus: number;
}

const REASON_LINES = 3;

/**
 * The handoffs lane: the graph the run started with (who can hand off to whom, with which tools), then the
 * path it actually took, one entry per handoff with its time, tool, arguments and the model's own words.
 * Handoffs still ahead of the playhead are greyed; the latest one behind it is marked.
 */
export function handoffLane(input: LaneInput): Lane {
  const { colours, width } = input;
  const agent = (name: string) => span(sanitizeLine(name), { fg: colours.of(name), bold: true });
  const lines: Line[] = [[span('Agents at start', { bold: true })]];
  if (input.agents.length === 0) lines.push([span('  (no agent graph recorded)', { fg: 'gray' })]);
  for (const a of input.agents) {
    const targets = a.handoffs.map((h, i, all) => [span(i ? ' ' : ' → '), agent(h.agent), span(i < all.length - 1 ? ',' : '')]);
    lines.push(...flow([span('  '), agent(a.name)], targets, width));
    if (a.tools.length) lines.push([span(`    tools: ${truncateLine(a.tools.map((t) => t.name).join(', '), Math.max(10, width - 11))}`, { fg: 'gray' })]);
  }

  lines.push([], ...flow([span('Path  ', { bold: true })], input.path.map((name, i) => (i ? [span(' → '), agent(name)] : [agent(name)])), width));
  if (input.handoffs.length === 0) lines.push([span('  no handoffs', { fg: 'gray' })]);
  // A handoff has happened once its handoff_occurred item has played (the agent change follows it).
  const reached = input.handoffs.filter((h) => (h.occurredSeq ?? h.seq) <= input.position).length;
  let focus = 0;
  for (const [i, h] of input.handoffs.entries()) {
    const ahead = i >= reached;
    const current = i === reached - 1;
    if (current) focus = lines.length;
    const grey = ahead ? ({ fg: 'gray' } as const) : undefined;
    const seqs = `#${h.requestedSeq ?? '?'} requested, #${h.occurredSeq ?? '?'} occurred`;
    lines.push([
      span(current ? '▶ ' : '  ', { bold: true }),
      span(formatOffset(h.tUs) + ' ', grey),
      ahead ? span(sanitizeLine(h.from), grey) : agent(h.from),
      span(' → ', grey),
      ahead ? span(sanitizeLine(h.to), grey) : agent(h.to),
    ]);
    lines.push([span(truncateLine(`    via ${h.toolName ?? '?'}  (${seqs})`, width), grey ?? { fg: 'gray' })]);
    if (h.arguments) lines.push([span(`    args: ${truncateLine(h.arguments, Math.max(10, width - 10))}`, grey)]);
    if (h.reason) {
      for (const [j, text] of wrap(sanitizeLine(h.reason), Math.max(10, width - 9), REASON_LINES).entries()) {
        lines.push([span(j === 0 ? '    why: ' : '         ', grey ?? { fg: 'gray' }), span(text, grey)]);
      }
    }
  }
  return { lines, focus };
}

/** Packs items (each a few spans) onto lines of `width`, continuing indented: a long path wraps between agents. */
function flow(first: Line, items: readonly Line[], width: number): Line[] {
  const lines: Line[] = [[...first]];
  const widthOf = (line: Line) => plainOf(line).length;
  for (const item of items) {
    const current = lines.at(-1)!;
    if (widthOf(current) > 6 && widthOf(current) + widthOf(item) > width) lines.push([span('      '), ...item.map((s) => ({ ...s, text: s.text.trimStart() }))]);
    else current.push(...item);
  }
  return lines;
}

/** Word-wraps one line to at most `maxLines` lines of `width`, an ellipsis marking a cut. */
export function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let rest = text.trim();
  while (rest && lines.length < maxLines) {
    if (rest.length <= width) {
      lines.push(rest);
      rest = '';
      break;
    }
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > width / 2 ? cut : width;
    lines.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  if (rest) lines[lines.length - 1] = truncateLine(lines.at(-1)! + ' ' + rest, width);
  return lines;
}
