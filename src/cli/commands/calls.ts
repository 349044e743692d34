import { callTokens, describeItem, modelCallView } from '../../analysis/modelCallView.js';
import type { ModelCallRecord } from '../../capture/types.js';
import { formatDuration, formatOffset, formatTable, formatValue } from '../../display/format.js';
import { RuntapeError } from '../../errors.js';
import { sanitizeLine, sanitizeText, terminalSafeJson, truncateLine } from '../../events/sanitize.js';
import type { RunStore } from '../../store/runStore.js';
import type { RunRecord } from '../../store/types.js';

/** Why a run has no calls to show: it was recorded without capture, or it made none. */
function noCalls(run: RunRecord): string {
  return run.captured
    ? 'no model calls in this run (it made none)'
    : 'no model calls recorded for this run (it was recorded without capture: by record() around a run already started, or by runtape 0.1)';
}

/** `runtape calls RUN [N]`: the model calls of a run as a table, call N whole, or either as JSON. */
export async function callsCommand(store: RunStore, ref: string, number: string | undefined, options: { json?: boolean }, print: (text: string) => void): Promise<void> {
  const run = await store.resolveRun(ref);
  const calls = await store.captures(run.id, 'modelCall');
  if (number !== undefined) {
    const call = calls.find((c) => String(c.call) === number.trim());
    if (!call) throw new RuntapeError(`run ${run.id} has no model call ${sanitizeLine(number)} (${calls.length ? `its calls are 1–${calls.length}` : noCalls(run)})`);
    print(options.json ? terminalSafeJson(JSON.stringify(modelCallView(call), null, 2)) : formatCall(call));
    return;
  }
  if (options.json) return print(terminalSafeJson(JSON.stringify(calls.map(modelCallView), null, 2)));
  if (calls.length === 0) return print(noCalls(run));
  print(formatCallTable(calls));
}

function formatCallTable(calls: ModelCallRecord[]): string {
  const rows = calls.map((c) => {
    const tokens = callTokens(c.usage);
    const tools = modelCallView(c).tools.map((t) => t.name);
    return [
      String(c.call),
      c.agent,
      c.model ?? '—',
      formatOffset(c.startUs),
      c.endUs === null ? '—' : formatDuration(c.endUs - c.startUs),
      c.ttftUs === null ? '—' : formatDuration(c.ttftUs - c.startUs),
      typeof c.input === 'string' ? '1' : String(c.input.length),
      `${tokens.input ?? '—'}/${tokens.output ?? '—'}`,
      (tools.join(', ') || '—') + (c.error ? `  ✗ ${c.error.name}` : ''),
    ];
  });
  return formatTable(['#', 'agent', 'model', 'start', 'duration', 'TTFT', 'input', 'tokens in/out', 'tools offered'], rows, [4, 30, 30, 12, 10, 10, 6, 14, 100]);
}

/** One call whole: what the agent was told, what it saw, what it could do, and how it went. */
function formatCall(c: ModelCallRecord): string {
  const tokens = callTokens(c.usage);
  const lines = [
    `Call ${c.call}  ${sanitizeLine(c.agent)}  [${sanitizeLine(c.model ?? '?')}]`,
    `  start      ${formatOffset(c.startUs)}   duration ${c.endUs === null ? '—' : formatDuration(c.endUs - c.startUs)}   TTFT ${c.ttftUs === null ? '—' : formatDuration(c.ttftUs - c.startUs)}`,
    `  events     ${c.firstSeq === null ? '—' : `#${c.firstSeq}–#${c.lastSeq}`}   response ${sanitizeLine(c.responseId ?? '—')}`,
    `  tokens     ${tokens.input ?? '—'} in, ${tokens.output ?? '—'} out`,
  ];
  if (c.previousResponseId || c.conversationId) lines.push(`  continues  ${sanitizeLine(c.previousResponseId ?? '')} ${sanitizeLine(c.conversationId ?? '')}`.trimEnd());
  if (c.attempts.length > 1 || c.error) {
    for (const a of c.attempts) lines.push(`  attempt ${a.attempt}  ${formatOffset(a.startUs)}  ${a.error ? `failed: ${truncateLine(`${a.error.name}: ${a.error.message}`, 120)}` : 'ok'}`);
  }
  lines.push('', 'Instructions', c.instructions === null ? '  —' : indent(sanitizeText(c.instructions)));
  const input = typeof c.input === 'string' ? [c.input] : c.input;
  lines.push('', `Input (${input.length} item${input.length === 1 ? '' : 's'})`);
  input.forEach((item, i) => lines.push(`  ${String(i + 1).padStart(3)}  ${truncateLine(typeof item === 'string' ? `user: ${item}` : describeItem(item), 200)}`));
  lines.push('', 'Tools offered');
  const tools = modelCallView(c).tools;
  if (tools.length === 0) lines.push('  —');
  for (const t of tools) lines.push(`  ${sanitizeLine(t.name)}${t.agent ? ` → ${sanitizeLine(t.agent)}` : ''}${t.description ? `  ${truncateLine(t.description, 120)}` : ''}`);
  lines.push('', `Settings   ${formatValue(c.settings, 200)}`, `Output     ${formatValue(c.outputType, 200)}`);
  return lines.join('\n');
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}
