import type { EventFilter, RunStore } from '../store/runStore.js';
import type { StoredEvent } from '../store/types.js';
import { systemClock, type ReplayClock } from './clock.js';
import { EventCursor } from './cursor.js';
import { checkSpeed, type Speed } from './speed.js';

export interface PlaybackOptions {
  speed?: Speed;
  /** Recorded gaps longer than this are shortened to it (asciinema's idle time limit), µs. */
  idleLimitUs?: number | null;
  filter?: EventFilter;
  /** Start after this seq (the event at it counts as shown); default: the start of the run. */
  afterSeq?: number;
  /** Stop after this seq. */
  toSeq?: number;
  clock?: ReplayClock;
  /** At the end, `next()` resolves undefined (a finite replay); otherwise it waits for a seek (the inspector). */
  stopAtEnd?: boolean;
  /** At the end, look for new events every this many ms (a run still being recorded). */
  followMs?: number | null;
  /** Start playing at once (default true). */
  playing?: boolean;
}

/** What `onChange` reports: the playhead moved other than by playing, or play state / speed / limit changed. */
export type PlaybackChange = 'play' | 'pause' | 'seek' | 'speed' | 'idle-limit' | 'end';

/** The shortest wait a timer keeps (Node's setTimeout rounds shorter ones up to it). */
const TIMER_RESOLUTION_MS = 1;

/** Names that mark the jumps the inspector offers. */
export const JUMP_TARGETS = {
  handoff: ['handoff_occurred'],
  tool_call: ['tool_called'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The timing engine. Delivers a run's events (filtered) through `next()`, each at its recorded time scaled
 * by the speed. Times are computed from one anchor (wall time, recorded time) set when playing starts,
 * so error never accumulates: an event is due at anchor + (its offset − anchor offset) / speed, where
 * offsets sum the recorded gaps, each shortened to the idle limit. Pause, seek, speed and limit changes
 * re-anchor. One consumer calls `next()`; controls may be called at any time from anywhere. Controls that
 * read the store (seeks, steps, jumps, play from the top) settle once applied, and apply one after another
 * in the order they were called, so a slow read never lands after a later move.
 */
export class Playback {
  readonly #store: RunStore;
  readonly #runId: string;
  readonly #clock: ReplayClock;
  readonly #filter: EventFilter;
  readonly #cursor: EventCursor;
  readonly #stopAtEnd: boolean;
  readonly #followMs: number | null;
  #speed: Speed;
  #idleLimitUs: number | null;
  #playing: boolean;
  #position = -1;
  /** Recorded time of the playhead: the last delivered event's, or where a seek or pause left it. */
  #headUs = 0;
  /** Wall time at which the playhead reached #headUs. */
  #headWallMs: number;
  #stepsPending = 0;
  #wake: (() => void) | undefined;
  #cancelTimer: (() => void) | undefined;
  #deliveredSinceYield = 0;
  #disposed = false;
  #atEnd = false;
  /** The moves asked for, chained: each starts when the one before has applied. */
  #moves: Promise<unknown> = Promise.resolve();
  #movesPending = 0;
  /** Counts applied moves: `next()` drops an event it read before one. */
  #moveCount = 0;
  /** Placing the playhead at `afterSeq`, until `next()` has seen it done. */
  #start: Promise<void> | undefined;
  /** Counts play and pause calls: a play still reading when a pause comes does not start playing after it. */
  #playCalls = 0;
  readonly #listeners = new Set<(change: PlaybackChange) => void>();
  /** Ends each hold under way at once (the playback is disposed). */
  readonly #holds = new Set<() => void>();

  constructor(store: RunStore, runId: string, options: PlaybackOptions = {}) {
    this.#store = store;
    this.#runId = runId;
    this.#clock = options.clock ?? systemClock;
    this.#filter = options.filter ?? {};
    this.#speed = checkSpeed(options.speed ?? 1);
    this.#idleLimitUs = options.idleLimitUs ?? null;
    this.#playing = options.playing ?? true;
    this.#stopAtEnd = options.stopAtEnd ?? true;
    this.#followMs = options.followMs ?? null;
    this.#cursor = new EventCursor(store, runId, this.#filter, 0, options.toSeq);
    this.#headWallMs = this.#clock.now();
    const afterSeq = options.afterSeq;
    if (afterSeq !== undefined) {
      this.#start = this.#move(() => this.#placeHead(afterSeq));
      this.#start.catch(() => {}); // told by `next()`
    }
  }

  // ---- state ---------------------------------------------------------------------------------------

  /** Seq of the last event shown (-1: nothing yet). */
  get position(): number {
    return this.#position;
  }
  get playing(): boolean {
    return this.#playing;
  }
  get atEnd(): boolean {
    return this.#atEnd;
  }
  get speed(): Speed {
    return this.#speed;
  }
  get idleLimitUs(): number | null {
    return this.#idleLimitUs;
  }
  get filter(): EventFilter {
    return this.#filter;
  }

  /** The playback clock: where in the recorded timeline the playhead is, µs. Moves between events too. */
  clockUs(): number {
    if (!this.#playing || this.#speed === 'instant') return this.#headUs;
    const next = this.#cursor.buffered;
    const elapsed = (this.#clock.now() - this.#headWallMs) * 1000 * this.#speed;
    const moved = this.#headUs + Math.max(0, elapsed);
    return next ? Math.min(moved, next.tUs) : moved;
  }

  /** When an event is due on the wall clock, ms. */
  #dueWallMs(event: StoredEvent): number {
    if (this.#speed === 'instant') return this.#headWallMs;
    return this.#headWallMs + this.#replayGapUs(event) / 1000 / this.#speed;
  }

  onChange(listener: (change: PlaybackChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- consuming ----------------------------------------------------------------------------------

  /** The next event, when it is due; undefined when the replay is over (or disposed). */
  async next(): Promise<StoredEvent | undefined> {
    for (;;) {
      if (this.#disposed) return undefined;
      if (this.#start) {
        const start = this.#start;
        this.#start = undefined;
        await start;
      }
      if (this.#movesPending > 0) {
        await this.#moves;
        continue;
      }
      const moves = this.#moveCount;
      if (this.#stepsPending > 0) {
        const stepped = await this.#cursor.peek();
        if (moves !== this.#moveCount || this.#stepsPending === 0) continue;
        this.#stepsPending--;
        if (stepped) {
          this.#cursor.advance();
          return this.#deliver(stepped, this.#clock.now());
        }
        this.#stepsPending = 0;
        continue;
      }
      if (!this.#playing) {
        await this.#waitForChange();
        continue;
      }
      // The window in hand answers without waiting: an instant replay passes a million events here.
      const event = this.#cursor.buffered ?? (await this.#cursor.peek());
      // A move while reading: that event was of the old position.
      if (moves !== this.#moveCount || this.#movesPending > 0 || this.#disposed) continue;
      if (!this.#playing) continue;
      if (!event) {
        if (this.#followMs !== null) {
          await this.#waitForChange(this.#followMs);
          continue;
        }
        this.#atEnd = true;
        this.#setPlaying(false, 'end');
        if (this.#stopAtEnd) return undefined;
        continue;
      }
      if (this.#speed === 'instant') {
        // Let timers, keys and Ctrl-C in now and then: an instant replay of a million events is long.
        if (++this.#deliveredSinceYield >= 512) {
          this.#deliveredSinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        this.#cursor.advance();
        return this.#deliver(event, this.#headWallMs);
      }
      const due = this.#dueWallMs(event);
      const wait = due - this.#clock.now();
      // A timer cannot wait less than a millisecond: for what is left of one, now is the closest time there is.
      if (wait >= TIMER_RESOLUTION_MS) {
        await this.#waitForChange(wait);
        continue;
      }
      this.#cursor.advance();
      // The event's due time, not now: being late once does not push every later event back.
      return this.#deliver(event, due);
    }
  }

  #deliver(event: StoredEvent, atWallMs: number): StoredEvent {
    this.#position = event.seq;
    this.#headUs = event.tUs;
    this.#headWallMs = atWallMs;
    return event;
  }

  /** The recorded gap from the playhead to `event`, shortened to the idle limit. */
  #replayGapUs(event: StoredEvent): number {
    const gap = Math.max(0, event.tUs - this.#headUs);
    return this.#idleLimitUs === null ? gap : Math.min(gap, this.#idleLimitUs);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<StoredEvent> {
    for (let event = await this.next(); event; event = await this.next()) yield event;
  }

  // ---- controls -----------------------------------------------------------------------------------

  async play(): Promise<void> {
    if (this.#playing) return;
    const call = ++this.#playCalls;
    await this.#move(async () => {
      // Nothing left to play in a finished run: play means from the top (a followed run waits for more instead).
      if (call !== this.#playCalls || this.#followMs !== null || (await this.#cursor.peek())) return;
      await this.#placeHead(-1);
      this.#changed('seek');
    });
    if (call !== this.#playCalls || this.#playing) return;
    this.#reanchor();
    this.#setPlaying(true, 'play');
  }

  pause(): void {
    this.#playCalls++;
    if (!this.#playing) return;
    this.#headUs = this.clockUs();
    this.#setPlaying(false, 'pause');
  }

  async toggle(): Promise<void> {
    if (this.#playing) this.pause();
    else await this.play();
  }

  setSpeed(speed: Speed): void {
    const checked = checkSpeed(speed);
    this.#headUs = this.clockUs();
    this.#speed = checked;
    this.#reanchor();
    this.#changed('speed');
  }

  setIdleLimit(us: number | null): void {
    this.#headUs = this.clockUs();
    this.#idleLimitUs = us;
    this.#reanchor();
    this.#changed('idle-limit');
  }

  /** The event at `seq` counts as shown; playing goes on from the first event after it. */
  seekSeq(seq: number): Promise<void> {
    return this.#move(async () => {
      await this.#placeHead(seq);
      this.#changed('seek');
    });
  }

  /** The playhead goes to a recorded time: every event before it counts as shown. */
  seekTime(tUs: number): Promise<void> {
    return this.#move(async () => {
      const firstAtOrAfter = await this.#store.seqAtTime(this.#runId, tUs);
      await this.#placeHead(firstAtOrAfter === undefined ? await this.#store.lastSeq(this.#runId) : firstAtOrAfter - 1);
      this.#headUs = Math.max(this.#headUs, tUs);
      this.#changed('seek');
    });
  }

  /** Shows one more (or one fewer) event and pauses. Settles with the event now at the playhead. */
  step(direction: 1 | -1): Promise<StoredEvent | undefined> {
    if (this.#playing) this.pause();
    return this.#move(async () => {
      if (direction === 1) {
        const next = await this.#cursor.peek();
        if (next) {
          this.#stepsPending++;
          this.#wakeUp();
        }
        return next;
      }
      const previous = await this.#cursor.previous(this.#position);
      await this.#placeHead(previous?.seq ?? -1);
      this.#changed('seek');
      return previous;
    });
  }

  /** Jumps to the next (or previous) event with one of these names, whatever the level filter shows. */
  jump(names: readonly string[], direction: 1 | -1): Promise<StoredEvent | undefined> {
    return this.#move(async () => {
      const [found] = await this.#store.readEvents(this.#runId, {
        fromSeq: direction === 1 ? this.#position + 1 : this.#position - 1,
        limit: 1,
        backward: direction === -1,
        filter: { names },
      });
      if (found) {
        await this.#placeHead(found.seq);
        this.#changed('seek');
      }
      return found;
    });
  }

  /**
   * Holds the playback where it is for `ms` on its clock, whatever the speed (a stall): the events after the
   * playhead come that much later, at their recorded gaps from the end of the hold. Settles when the hold is
   * over, or at once when the playback is disposed.
   */
  async hold(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const end = () => {
        this.#holds.delete(end);
        cancel();
        resolve();
      };
      const cancel = this.#clock.setTimer(end, ms);
      this.#holds.add(end);
    });
    this.#reanchor();
  }

  dispose(): void {
    this.#disposed = true;
    this.#listeners.clear();
    for (const end of [...this.#holds]) end();
    this.#wakeUp();
  }

  // ---- internals ----------------------------------------------------------------------------------

  /** Runs a move after those asked for before it. */
  #move<T>(move: () => Promise<T>): Promise<T> {
    this.#movesPending++;
    const applied = this.#moves.then(move).finally(() => {
      this.#movesPending--;
      this.#wakeUp();
    });
    this.#moves = applied.catch(() => {});
    return applied;
  }

  /** Reads where `seq` is, then puts the playhead there at once: nothing sees it half moved. */
  async #placeHead(seq: number): Promise<void> {
    const [at] = seq < 0 ? [] : await this.#store.readEvents(this.#runId, { fromSeq: seq, limit: 1 });
    this.#cursor.moveTo(seq + 1);
    this.#position = at && at.seq === seq ? seq : -1;
    this.#headUs = at?.tUs ?? 0;
    this.#afterMove();
  }

  #afterMove(): void {
    this.#moveCount++;
    this.#atEnd = false;
    this.#stepsPending = 0;
    this.#reanchor();
  }

  #reanchor(): void {
    this.#headWallMs = this.#clock.now();
    this.#wakeUp();
  }

  #setPlaying(playing: boolean, change: PlaybackChange): void {
    this.#playing = playing;
    this.#changed(change);
  }

  #changed(change: PlaybackChange): void {
    this.#wakeUp();
    for (const listener of this.#listeners) listener(change);
  }

  #waitForChange(ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
      if (ms !== undefined) this.#cancelTimer = this.#clock.setTimer(() => this.#wakeUp(), ms);
    });
  }

  #wakeUp(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
