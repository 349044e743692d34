import { buildRunReport, type RunReport } from '../../analysis/runReport.js';
import type { HandoffStep } from '../../analysis/runAnalyzer.js';
import type { ErrorRecord } from '../../events/serialize.js';
import type { RunStore } from '../../store/runStore.js';
import type { ChildRunLink } from '../../analysis/childRuns.js';
import { GAP_CAUSE, formatAgentSpan, formatDuration, formatOffset, formatSeqRange, formatStart, formatUnreadable, formatValue } from '../../display/format.js';
import { sanitizeLine, terminalSafeJson, truncateLine } from '../../events/sanitize.js';

export async function showCommand(store: RunStore, ref: string, options: { json?: boolean }, print: (text: string) => void): Promise<void> {
  const report = await buildRunReport(store, await store.resolveRun(ref));
  print(options.json ? terminalSafeJson(JSON.stringify(report, null, 2)) : formatReport(report));
}

/** An HTTP error's status, code and request id, as a person quotes them to the provider. */
function errorDetails(error: ErrorRecord): string {
  const parts = [error.status !== undefined ? `HTTP ${error.status}` : '', error.code ?? '', error.requestId ? `request ${error.requestId}` : ''].filter(Boolean);
  return parts.length ? ` (${sanitizeLine(parts.join(', '))})` : '';
}

function usageLine(usage: unknown): string {
  if (!usage || typeof usage !== 'object') return '—';
  const u = usage as { requests?: number; inputTokens?: number; outputTokens?: number; totalTokens?: number };
  return `${u.requests ?? 0} requests, ${u.inputTokens ?? 0} input + ${u.outputTokens ?? 0} output = ${u.totalTokens ?? 0} tokens`;
}

export function formatHandoff(h: HandoffStep): string {
  const via = h.toolName ? ` via ${sanitizeLine(h.toolName)}` : '';
  const args = h.arguments ? ` ${truncateLine(h.arguments, 80)}` : '';
  const reason = h.reason ? `\n      why: ${truncateLine(h.reason, 110)}` : '';
  return `${formatOffset(h.tUs)}  ${sanitizeLine(h.from)} → ${sanitizeLine(h.to)}${via}${args}  (#${h.requestedSeq ?? h.seq})${reason}`;
}

/** A child run under its tool call: `+0.412s  translate {"input":"Hello"} (call_hello) → run 7e595d8c Translator  completed 1.2 s`. */
export function formatChildRun(child: ChildRunLink): string {
  const call = child.tool ? `${sanitizeLine(child.tool)}${child.arguments ? ` ${truncateLine(child.arguments, 60)}` : ''}` : 'tool call';
  const callId = child.callId ? ` (${sanitizeLine(child.callId)})` : '';
  return `${formatOffset(child.callStartUs ?? child.startUs)}  ${call}${callId} → run ${child.runId.slice(0, 8)} ${sanitizeLine(formatAgentSpan(child))}  ${child.status} ${formatDuration(child.durationUs)}`;
}

function formatReport({ run, agents, analysis: a, instructionsSent, childRuns }: RunReport): string {
  const lines: string[] = [];
  const cancelled = run.cancelledBy ? ` (by ${run.cancelledBy === 'signal' ? 'the application\'s abort signal' : 'its consumer'})` : '';
  const status = run.status + cancelled + (run.recording === 'partial' ? ` (recording partial: ${sanitizeLine(run.recordingError ?? '')})` : '') + formatUnreadable(run);
  lines.push(`Run ${run.id}  ${run.name ? `"${sanitizeLine(run.name)}"  ` : ''}${status}`);
  lines.push(`  started    ${formatStart(run.startedAt)}   duration ${formatDuration(run.durationUs)}`);
  lines.push(`  events     ${a.eventCount} (raw ${a.countsByLevel.raw}, item ${a.countsByLevel.item}, agent ${a.countsByLevel.agent})`);
  if (run.gaps.length > 0) {
    lines.push(`  gaps       ${truncateLine(run.gaps.map(formatSeqRange).join(', '), 150)} lost (${GAP_CAUSE})`);
  }
  if (run.resumedFrom) lines.push(`  resumes    run ${run.resumedFrom} (interrupted for approval)`);
  if (run.parentRunId) lines.push(`  child of   run ${run.parentRunId}${run.parentCallId ? `, tool call ${sanitizeLine(run.parentCallId)}` : ''} (an agent used as a tool)`);
  lines.push(`  input      ${formatValue(run.input)}`);
  if (run.status === 'completed' || run.finalOutput !== null) lines.push(`  output     ${formatValue(run.finalOutput)}`);
  if (run.error) lines.push(`  error      ${sanitizeLine(run.error.name)}${errorDetails(run.error)}: ${truncateLine(run.error.message, 150)}`);
  lines.push(`  usage      ${usageLine(run.usage)}`);
  lines.push(`  sdk        @openai/agents ${run.sdkVersion ?? '?'}${run.tags.length ? `   tags ${sanitizeLine(run.tags.join(', '))}` : ''}`);

  lines.push('', 'Timing');
  lines.push(`  time to first token  ${formatDuration(a.ttftUs)}`);
  lines.push(`  tokens/s             ${a.tokensPerSecond === null ? '—' : a.tokensPerSecond.toFixed(1)} (${a.textDeltas} text deltas)`);
  if (a.largestGap) lines.push(`  largest gap          ${formatDuration(a.largestGap.us)} before #${a.largestGap.beforeSeq}`);
  for (const t of a.perAgent) lines.push(`  ${truncateLine(t.agent, 20).padEnd(20)} ${formatDuration(t.activeUs)} active`);

  lines.push('', 'Agents (graph at run start)');
  for (const agent of agents) {
    const tools = agent.tools.map((t) => t.name).join(', ') || '—';
    const targets = agent.handoffs.map((h) => h.agent).join(', ') || '—';
    lines.push(`  ${sanitizeLine(agent.name)}${agent.model ? `  [${sanitizeLine(agent.model)}]` : ''}${formatUnreadable(agent)}`);
    lines.push(`      tools: ${truncateLine(tools, 100)}   handoffs → ${truncateLine(targets, 80)}`);
    const sent = instructionsSent.find((i) => i.agent === agent.name);
    if (sent) lines.push(`      instructions (as sent, call ${sent.call}): ${sent.instructions === null ? '—' : truncateLine(sent.instructions, 110)}`);
  }
  if (!run.captured) lines.push('  (no model calls recorded for this run: instructions as sent are unknown)');

  lines.push('', `Handoffs  ${a.agentPath.map(sanitizeLine).join(' → ') || '—'}`);
  if (a.handoffs.length === 0) lines.push('  none');
  for (const h of a.handoffs) lines.push('  ' + formatHandoff(h));
  if (childRuns.length > 0) {
    lines.push('', 'Child runs (agents used as tools, under the tool call that ran each)');
    for (const child of childRuns) lines.push('  ' + formatChildRun(child));
  }
  return lines.join('\n');
}
