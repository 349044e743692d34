import { RuntapeError } from '../../errors.js';
import { readRecordedRun } from '../../rerun/recordedRun.js';
import { scriptedTurnsSource } from '../../rerun/scriptedTurns.js';
import type { RunStore } from '../../store/runStore.js';

/** `runtape script RUN`: the run's model responses as ScriptedModel turns (TypeScript), on stdout. */
export async function scriptCommand(store: RunStore, ref: string, print: (text: string) => void): Promise<void> {
  const source = await readRecordedRun(store, await store.resolveRun(ref));
  if (!source.calls.some((call) => call.events.length > 0)) {
    throw new RuntapeError(`run ${source.run.id} has no recorded model responses (a non-streamed run's recording holds only its items)`);
  }
  print(scriptedTurnsSource(source).trimEnd());
}
