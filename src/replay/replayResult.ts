import { EventChannel } from '../events/eventChannel.js';
import { STARTING_AGENT } from '../events/describe.js';
import type { EventLevel } from '../events/levels.js';
import { textStreamOf, type TextStreamOptions } from '../events/textStream.js';
import type { RunStore } from '../store/runStore.js';
import type { RunRecord, SeqRange } from '../store/types.js';
import { GapMarks } from './gapMarks.js';
import type { Fault } from '../faults/fault.js';
import { Playback, type PlaybackOptions } from './playback.js';
import { recordedError } from '../store/recordedError.js';
import { ReplayFaults } from './replayFaults.js';

/**
 * A replayed event, shaped like the SDK's `RunStreamEvent` as far as its JSON goes: `type`, and `name` and
 * `item` ({type, rawItem, agent: {name}}) for run items, `data` for raw model events, `agent: {name}` for
 * agent updates. Code written against the SDK's stream reads it the same way.
 */
export interface ReplayedStreamEvent {
  type: 'raw_model_stream_event' | 'run_item_stream_event' | 'agent_updated_stream_event' | typeof RECORDING_GAP_EVENT;
  /** On a `recording_gap_stream_event`: the seqs of the events the recording lost there. */
  gap?: SeqRange;
  name?: string;
  item?: { type: string; rawItem: Record<string, unknown>; agent?: { name: string }; [key: string]: unknown };
  data?: { type: string; [key: string]: unknown };
  source?: string;
  agent?: { name: string };
}

/**
 * runtape's own event, the one a replay adds to the SDK's: where the recording has a gap (events its writer lost
 * while stuck or dead), `{ type: 'recording_gap_stream_event', gap: { fromSeq, toSeq } }` comes in their place,
 * whatever the filter. A consumer that handles only the SDK's event types passes over it.
 */
export const RECORDING_GAP_EVENT = 'recording_gap_stream_event';

export interface ReplayOptions extends Omit<PlaybackOptions, 'stopAtEnd' | 'filter'> {
  levels?: readonly EventLevel[];
  /** Only events with these names (item names such as handoff_occurred, raw data types, agent_updated). */
  names?: readonly string[];
  agents?: readonly string[];
  /**
   * Failures to inject, for testing how a consumer copes: a server error at a call, the stream cut or stalled
   * after an event of a call. A stall holds the replay for its ms, whatever the speed; a server error or a cut
   * ends it with the error a live run gives there (the `openai` package's `APIError` for the status, Node's
   * `TypeError: terminated` for a dropped connection): iteration throws it, `completed` rejects with it.
   */
  faults?: readonly Fault[];
}

/** What `replay()` returns: the consumer side of a `StreamedRunResult`, fed from a recording. */
export interface ReplayedRunResult extends AsyncIterable<ReplayedStreamEvent> {
  readonly run: RunRecord;
  /** Drives the replay: pause, seek, speed. */
  readonly playback: Playback;
  toStream(): ReadableStream<ReplayedStreamEvent>;
  toTextStream(options?: TextStreamOptions): ReturnType<typeof textStreamOf>;
  /** Settles when every event has been delivered: rejects as the recorded run did. */
  readonly completed: Promise<void>;
  /** The recorded final output, once the replay has delivered every event (as with the SDK). */
  readonly finalOutput: unknown;
  readonly currentAgent: { name: string } | undefined;
  readonly lastAgent: { name: string } | undefined;
  readonly error: Error | null;
  readonly cancelled: boolean;
}

/**
 * Replays a recorded run as a stream your own code consumes (settling, like the SDK's `run()`, once the run is found): the recorded events, in order, at the
 * recorded pace scaled by `speed` (`instant` for tests). The recorder's own record of the starting agent
 * is not replayed, since the SDK emits none; `currentAgent` starts at the recorded starting agent.
 */
export async function replay(store: RunStore, runRef: string, options: ReplayOptions = {}): Promise<ReplayedRunResult> {
  const run = await store.resolveRun(runRef);
  const { levels, names, agents, faults: faultList = [], ...playbackOptions } = options;
  const faults = await ReplayFaults.place(store, run, faultList, playbackOptions.afterSeq);
  const playback = new Playback(store, run.id, {
    ...playbackOptions,
    filter: { ...(levels ? { levels } : {}), ...(names ? { names } : {}), ...(agents ? { agents } : {}) },
  });
  let currentAgent = run.startingAgent ?? undefined;
  let delivered = false;
  let cancelled = false;
  /** The error the replay ended with, once it has: the recorded run's, or a fault's. */
  let failure: Error | null = null;
  const channel = new EventChannel<ReplayedStreamEvent>(() => {
    cancelled = true;
    playback.dispose();
  });

  // The replay runs on its own, as a live run does: whether the application reads the stream or only awaits
  // `completed`, the events go out at their recorded times.
  const gaps = new GapMarks(run.gaps, playbackOptions.afterSeq);
  const pushGaps = (ranges: SeqRange[]) => {
    for (const gap of ranges) channel.push({ type: RECORDING_GAP_EVENT, gap });
  };
  const fail = (error: Error): never => {
    failure = error;
    playback.dispose();
    channel.fail(error);
    throw error;
  };
  const completed = (async () => {
    for (let event = await playback.next(); event; event = await playback.next()) {
      const faulted = await faults.before(event.seq, playback);
      if (faulted) fail(faulted);
      pushGaps(gaps.before(event.seq));
      if (event.name === STARTING_AGENT) continue;
      const parsed = JSON.parse(event.payload) as ReplayedStreamEvent;
      if (parsed.type === 'agent_updated_stream_event' && parsed.agent) currentAgent = parsed.agent.name;
      channel.push(parsed);
    }
    if (cancelled) return channel.close();
    // A fault right after the last event shown still strikes.
    const faulted = await faults.before((playbackOptions.toSeq ?? Number.MAX_SAFE_INTEGER - 1) + 1, playback);
    if (faulted) fail(faulted);
    pushGaps(gaps.rest(playbackOptions.toSeq));
    delivered = true;
    if (run.status === 'error') fail(recordedError(run));
    channel.close();
  })();
  completed.catch(() => {}); // like the SDK's: an unawaited failure is not an unhandled rejection

  return {
    run,
    playback,
    toStream: () => channel.stream(),
    toTextStream: (textOptions) => textStreamOf(channel.stream(), textOptions),
    [Symbol.asyncIterator]: () => channel.iterator(),
    completed,
    get finalOutput() {
      return delivered ? run.finalOutput : undefined;
    },
    get currentAgent() {
      return currentAgent === undefined ? undefined : { name: currentAgent };
    },
    get lastAgent() {
      return currentAgent === undefined ? undefined : { name: currentAgent };
    },
    get error() {
      return failure;
    },
    get cancelled() {
      return cancelled;
    },
  };
}
