import { RuntapeError } from '../../errors.js';
import type { RunStore } from '../../store/runStore.js';

/** Opens the inspector on a run (or on the list of runs) and returns when the user quits. */
export async function inspectCommand(store: RunStore, ref: string | undefined): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new RuntapeError('the inspector needs a terminal (stdin and stdout must be a TTY); for plain output try runtape show');
  }
  const runId = ref === undefined ? undefined : (await store.resolveRun(ref)).id;
  const { openInspector } = await import('../../tui/index.js');
  const inspector = await openInspector({ store, runId });
  await inspector.closed;
}
