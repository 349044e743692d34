import { readHandoffs } from '../../analysis/handoffReader.js';
import type { RunStore } from '../../store/runStore.js';
import { sanitizeLine, terminalSafeJson } from '../../events/sanitize.js';
import { formatHandoff } from './show.js';

/** Who handed off to whom, when, and why: the handoff part of `show`, alone, or as JSON. Reads only the events handoffs need. */
export async function handoffsCommand(store: RunStore, ref: string, options: { json?: boolean }, print: (text: string) => void): Promise<void> {
  const run = await store.resolveRun(ref);
  const { agentPath, handoffs } = await readHandoffs(store, run.id);
  if (options.json) {
    print(terminalSafeJson(JSON.stringify({ runId: run.id, path: agentPath, handoffs }, null, 2)));
    return;
  }
  print(`${agentPath.map(sanitizeLine).join(' → ')}`);
  for (const h of handoffs) print(formatHandoff(h));
}
