import { buildRunReport } from '../../analysis/runReport.js';
import type { RunStore } from '../../store/runStore.js';
import { sanitizeLine, terminalSafeJson } from '../../events/sanitize.js';
import { formatHandoff } from './show.js';

/** Who handed off to whom, when, and why: the handoff part of `show`, alone, or as JSON. */
export async function handoffsCommand(store: RunStore, ref: string, options: { json?: boolean }, print: (text: string) => void): Promise<void> {
  const { run, analysis } = await buildRunReport(store, await store.resolveRun(ref));
  if (options.json) {
    print(terminalSafeJson(JSON.stringify({ runId: run.id, path: analysis.agentPath, handoffs: analysis.handoffs }, null, 2)));
    return;
  }
  print(`${analysis.agentPath.map(sanitizeLine).join(' → ')}`);
  for (const h of analysis.handoffs) print(formatHandoff(h));
}
