import type { WaterfallRow } from '../../analysis/waterfall.js';
import type { HandoffCaptureRecord, HandoffInputSnapshot, ModelCallRecord } from '../../capture/types.js';
import { formatAgentSpan, formatDuration, formatOffset } from '../../display/format.js';
import { sanitizeLine, sanitizeText } from '../../events/sanitize.js';
import type { Detail } from './detail.js';
import { span, type Line } from './styled.js';
import { fitWidth } from './width.js';

/** What the detail pane says of a waterfall row: its times, and what was captured about it when anything was. */
export function waterfallDetail(row: WaterfallRow | undefined, width: number): Detail {
  if (!row) return { title: 'Waterfall', lines: [[span('(start of the run: nothing played yet)', { fg: 'gray' })]], matchLine: null };
  const seqs = row.seq === null ? '' : `#${row.seq}${row.endSeq === null ? '' : `–#${row.endSeq}`}  `;
  const title = `${seqs}${formatOffset(row.startUs)}  ${row.kind}  ${sanitizeLine(row.label)}`;
  const lines: Line[] = [timesLine(row)];
  switch (row.kind) {
    case 'model':
      lines.push(...modelCallLines(row, width));
      break;
    case 'handoff':
      lines.push(...handoffLines(row, width));
      break;
    case 'tool':
      lines.push(...childRunLines(row), ...field('arguments', row.arguments), ...field('output', row.output));
      break;
    case 'guardrail':
      lines.push([span(`tripwire: ${row.failed ? 'triggered' : 'not triggered'}`, row.failed ? { fg: 'red', bold: true } : {})], ...field('result', json(row.guardrail?.result)), ...field('the run ended with', row.note));
      break;
    case 'gap':
      lines.push([span(`${row.label.replace('lost', 'events')} were lost while the recorder's writer was stuck or dead`, { fg: 'red' })]);
      break;
    case 'agent':
      break;
  }
  return { title, lines, matchLine: null };
}

function timesLine(row: WaterfallRow): Line {
  const line: Line = [span(`${formatOffset(row.startUs)} → ${row.endUs === null ? 'the end' : formatOffset(row.endUs)}  (${row.endUs === null ? 'open' : formatDuration(row.endUs - row.startUs)})`)];
  if (row.agent && row.kind !== 'agent') line.push(span(`  ${sanitizeLine(row.agent)}`, { bold: true }));
  if (row.kind === 'model') line.push(span(`  TTFT ${row.firstTokenUs === null || row.firstTokenUs === undefined ? '—' : formatDuration(row.firstTokenUs - row.startUs)}`));
  if (row.kind === 'model' && row.failed) line.push(span('  cut short by the next call', { fg: 'red' }));
  return line;
}

const heading = (text: string): Line => [span(text, { bold: true, fg: 'yellow' })];

/** A tool call that ran an agent used as a tool: the child run it recorded, and the key that opens it. */
function childRunLines(row: WaterfallRow): Line[] {
  const child = row.childRun;
  if (!child) return [];
  return [
    [],
    [span(`child run ${child.runId.slice(0, 8)}  ${sanitizeLine(formatAgentSpan(child))}  ${child.status}  ${formatDuration(child.durationUs)}`, { bold: true })],
    [span('enter opens it (u there comes back)', { fg: 'gray' })],
  ];
}
const NO_REQUEST = 'no request recorded';

function modelCallLines(row: WaterfallRow, width: number): Line[] {
  const call = row.modelCall;
  if (!call) return [[], [span(`${NO_REQUEST} for this call: the recording has its stream events (runtape calls lists recorded requests)`, { fg: 'gray' })]];
  return [
    [],
    [span(`model ${sanitizeLine(call.model ?? '—')}  response ${sanitizeLine(call.responseId ?? '—')}`)],
    ...(call.error ? [[span(`error: ${sanitizeLine(`${call.error.name}: ${call.error.message}`)}`, { fg: 'red' })]] : []),
    heading('instructions'),
    ...textLines(call.instructions ?? '(none)'),
    heading(`input (${typeof call.input === 'string' ? 'a string' : `${call.input.length} items`})`),
    ...(typeof call.input === 'string' ? textLines(call.input) : call.input.map((item, i) => [span(fitWidth(`${String(i + 1).padStart(3)} ${itemSummary(item)}`, width))])),
    heading(`tools (${call.tools.length + call.handoffs.length})`),
    ...call.tools.map((t) => [span(fitWidth(sanitizeLine(`  ${t.name}  ${t.description ?? ''}`), width))]),
    ...call.handoffs.map((h) => [span(fitWidth(sanitizeLine(`  ${h.toolName} → ${h.agent}`), width))]),
    ...settingsLines(call),
  ];
}

function settingsLines(call: ModelCallRecord): Line[] {
  const settings = json(call.settings);
  return settings && settings !== '{}' ? [heading('settings'), ...textLines(settings)] : [];
}

/**
 * A handoff's input filter: the conversation before it and after it side by side, one item a line, each
 * item the filter removed marked ✗ in the before column.
 */
function handoffLines(row: WaterfallRow, width: number): Line[] {
  const lines: Line[] = [];
  if (row.toolName) lines.push([span(`via ${sanitizeLine(row.toolName)}${row.arguments && row.arguments !== '{}' ? `  ${sanitizeLine(row.arguments)}` : ''}`, { fg: 'gray' })]);
  const capture = row.handoff;
  if (!capture) return [...lines, [], [span(`${NO_REQUEST} for this handoff: what its input filter kept is not known`, { fg: 'gray' })]];
  if (!capture.filter || !capture.after) return [...lines, [], [span('no input filter: the next agent saw the conversation whole', { bold: true })], ...snapshotItems(capture.before).map((item) => [span(fitWidth(`  ${itemSummary(item)}`, width))])];
  lines.push([], [span(`filter ${sanitizeLine(capture.filter.name ?? '(anonymous)')}  (${capture.filter.source === 'handoff' ? "the handoff's own" : 'RunConfig.handoffInputFilter'})`, { bold: true })]);
  return [...lines, ...sideBySide(capture, width)];
}

function sideBySide(capture: HandoffCaptureRecord, width: number): Line[] {
  const before = snapshotItems(capture.before);
  const after = snapshotItems(capture.after!);
  const column = Math.max(8, Math.floor((width - 3) / 2));
  const kept = new Map<string, number>();
  for (const item of after) kept.set(keyOf(item), (kept.get(keyOf(item)) ?? 0) + 1);
  const removed = before.map((item) => {
    const left = kept.get(keyOf(item)) ?? 0;
    if (left > 0) kept.set(keyOf(item), left - 1);
    return left === 0;
  });
  const lines: Line[] = [[span(fitWidth(`before (${before.length}, ${removed.filter(Boolean).length} removed)`, column), { bold: true }), span(' │ '), span(`after (${after.length})`, { bold: true })]];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const left = before[i];
    const right = after[i];
    lines.push([
      left === undefined ? span(' '.repeat(column)) : span(fitWidth(`${removed[i] ? '✗' : ' '} ${itemSummary(left)}`, column), removed[i] ? { fg: 'red' } : {}),
      span(' │ '),
      span(right === undefined ? '' : fitWidth(`  ${itemSummary(right)}`, column)),
    ]);
  }
  return lines;
}

/** The items of a `HandoffInputData` in the order the next agent sees them. */
function snapshotItems(snapshot: HandoffInputSnapshot): unknown[] {
  const history = typeof snapshot.inputHistory === 'string' ? [{ role: 'user', content: snapshot.inputHistory }] : snapshot.inputHistory;
  return [...history, ...snapshot.preHandoffItems, ...snapshot.newItems];
}

function keyOf(item: unknown): string {
  return JSON.stringify(item) ?? 'undefined';
}

/** One line for an input item: who or what it is, then its words. */
export function itemSummary(item: unknown): string {
  if (typeof item === 'string') return sanitizeLine(item);
  const it = (item ?? {}) as { type?: string; role?: string; name?: string; content?: unknown; arguments?: string; output?: unknown; rawItem?: unknown };
  if (it.rawItem !== undefined) return itemSummary(it.rawItem); // a run item's JSON: its raw item says what it is
  const kind = it.role ?? it.type ?? '?';
  // A tool call shows what it was asked, its result what it answered.
  const words = it.name === undefined ? textOf(it.content ?? it.output) : it.output !== undefined ? `${it.name} → ${textOf(it.output)}` : `${it.name}(${it.arguments ?? ''})`;
  return sanitizeLine(`${kind}: ${words}`);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'object' && part ? ((part as { text?: string }).text ?? (part as { refusal?: string }).refusal ?? '') : String(part))).join(' ');
  return json(content) ?? '';
}

function field(name: string, text: string | null | undefined): Line[] {
  return text === null || text === undefined ? [] : [heading(name), ...textLines(text)];
}

function textLines(text: string): Line[] {
  return sanitizeText(text)
    .split('\n')
    .map((line) => [span(line)]);
}

function json(value: unknown): string | null {
  if (value === undefined) return null;
  return JSON.stringify(value, null, 2) ?? null;
}
