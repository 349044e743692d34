import { handoffDetails } from '../../analysis/handoffDetails.js';
import { describeFilterEffect, describeUnfiltered, filterEffect } from '../../analysis/handoffFilterEffect.js';
import { readHandoffs } from '../../analysis/handoffReader.js';
import type { RunStore } from '../../store/runStore.js';
import { sanitizeLine, terminalSafeJson, truncateLine } from '../../events/sanitize.js';
import { formatHandoff } from './show.js';

/**
 * Who handed off to whom, when, and why: the handoff part of `show`, alone, or as JSON; with, when the run
 * was captured, the model call that asked for each handoff and what its input filter passed on. Reads only
 * the events handoffs need.
 */
export async function handoffsCommand(store: RunStore, ref: string, options: { json?: boolean }, print: (text: string) => void): Promise<void> {
  const run = await store.resolveRun(ref);
  const [{ agentPath, handoffs: analysed }, { handoff = [], modelCall = [] }] = await Promise.all([
    readHandoffs(store, run.id),
    store.capturesOfKinds(run.id, ['handoff', 'modelCall']),
  ]);
  const handoffs = handoffDetails(analysed, handoff, modelCall);
  if (options.json) {
    print(terminalSafeJson(JSON.stringify({ runId: run.id, path: agentPath, handoffs }, null, 2)));
    return;
  }
  print(`${agentPath.map(sanitizeLine).join(' → ')}`);
  for (const h of handoffs) {
    print(formatHandoff(h));
    if (h.call !== null) print(`      requested by call ${h.call}`);
    const filter = h.inputFilter;
    if (!filter) continue;
    if (filter.source === null) {
      print(`      no input filter: ${describeUnfiltered(filter.before)}`);
      continue;
    }
    const effect = filterEffect({ filter: { name: filter.name, source: filter.source }, before: filter.before, after: filter.after });
    if (effect) print(`      ${truncateLine(describeFilterEffect(effect), 240)}`);
  }
}
