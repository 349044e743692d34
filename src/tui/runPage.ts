import { childRunsOf, type ChildRunLink } from '../analysis/childRuns.js';
import type { ToolCallCaptureRecord } from '../capture/types.js';
import { formatDuration, formatResumedFrom, formatStart } from '../display/format.js';
import { formatParentRun } from '../display/runTree.js';
import { parsePayload } from '../events/payload.js';
import { RuntapeError } from '../errors.js';
import type { EventLevel } from '../events/levels.js';
import { sanitizeLine } from '../events/sanitize.js';
import { JUMP_TARGETS, Playback } from '../replay/playback.js';
import { parseRunPoint, type Speed } from '../replay/speed.js';
import type { RunStore } from '../store/runStore.js';
import type { AgentRecord, RunRecord, StoredEvent } from '../store/types.js';
import { neighbourRow, rowAt, type WaterfallCaptures, type WaterfallRow } from '../analysis/waterfall.js';
import { AnalysisFeed } from './analysisFeed.js';
import { searchInSlices, type SliceSearchResult } from './sliceSearch.js';
import { RUN_KEYS, runBoundAction, type KeyName, type RunAction } from './keys.js';
import type { Page, PageHost } from './page.js';
import { AgentColours } from './views/agentColours.js';
import { eventDetail, type Detail } from './views/detail.js';
import { handoffLane } from './views/handoffLane.js';
import { runLayout, type Rect } from './views/layout.js';
import { OutputText, textPaneLines, type TextParagraph } from './views/outputText.js';
import { STATUS_COLOURS } from './views/runsList.js';
import { filterLine, timingLine } from './views/status.js';
import { span, type Line } from './views/styled.js';
import { Summaries, Timeline, timelineLine, type TimelineRow } from './views/timeline.js';
import { waterfallView } from './views/waterfall.js';
import { waterfallDetail } from './views/waterfallDetail.js';
import { WaterfallFeed } from './waterfallFeed.js';
import { Pane } from './widgets/pane.js';
import { RunView } from './widgets/runView.js';

/** The speeds `-` and `+` step through. */
const SPEEDS: readonly Speed[] = [0.25, 0.5, 1, 2, 4, 8, 16, 'instant'];
/** With the idle cap on, a silence longer than this plays as this long. */
const IDLE_CAP_US = 1_000_000;
/** A run still being recorded: how often to look for new events, and to re-read its status. */
const FOLLOW_MS = 200;
const LIVE_REFRESH_MS = 1000;
/** While playing, the clock moves between events too: repaint this often. */
const CLOCK_TICK_MS = 100;

/** What the capture layer recorded about a run that the waterfall shows: requests, handoff filters, guardrails. */
async function readCaptures(
  store: RunStore,
  runId: string,
  childRuns: (toolCalls: readonly ToolCallCaptureRecord[]) => Promise<ChildRunLink[]>,
): Promise<WaterfallCaptures> {
  // Every kind the view needs at once, the child runs' tool calls too: a run's captures are one archive, inflated once.
  const { modelCall = [], handoff = [], guardrail = [], toolCall = [] } = await store.capturesOfKinds(runId, ['modelCall', 'handoff', 'guardrail', 'toolCall']);
  return { modelCalls: modelCall, handoffs: handoff, guardrails: guardrail, childRuns: await childRuns(toolCall) };
}

/** What the run view shows of the store at one playhead position: read by `load`, drawn by `render`. */
interface Frame {
  position: number;
  selected: StoredEvent | undefined;
  rows: TimelineRow[];
  paragraphs: TextParagraph[];
  gapBeforeUs: number | null;
}

/**
 * The run view: a windowed timeline of events with the playhead, the selected event's payload, the output
 * text up to the playhead, the handoffs lane, and the timing line. The playhead is a Playback over all
 * events (so text streams in as recorded); the level filter decides which events the timeline shows,
 * and steps move between shown events.
 */
export class RunPage implements Page {
  readonly help = { title: 'Run', bindings: RUN_KEYS };
  readonly #host: PageHost;
  readonly #runId: string;
  #run: RunRecord;
  readonly #agents: AgentRecord[];
  readonly #colours: AgentColours;
  readonly #playback: Playback;
  readonly #timeline: Timeline;
  readonly #text: OutputText;
  readonly #summaries = new Summaries();
  readonly #feed: AnalysisFeed;
  readonly #waterfall: WaterfallFeed;
  /** The waterfall is shown instead of the event timeline. */
  #waterfallShown = false;
  /** The waterfall's first row in view, kept from frame to frame. */
  #waterfallTop = 0;
  #pauseOnHandoff = false;
  /** The runs agents used as tools ran in this run's tool calls (read once, when first asked for). */
  #childRuns: Promise<ChildRunLink[]> | undefined;
  readonly #view: RunView;
  readonly #timers: NodeJS.Timeout[];
  readonly #actions: Record<RunAction, (key: KeyName) => void | Promise<void>>;
  /** The newest seq known to be stored (grows while the run is recorded). */
  #lastSeq: number;
  /** The run was still being recorded when opened: the playback follows new events. */
  readonly #recordedLive: boolean;
  #search: string | null = null;
  /** Counts searches begun: a search that is no longer the latest (or the page is gone) stops at its next slice. */
  #searches = 0;
  /** How far the running search is (0 to 1); null when none runs. */
  #searchProgress: number | null = null;
  #detail: { key: string; detail: Detail } | undefined;
  #rowDetail: { row: WaterfallRow | undefined; width: number; detail: Detail } | undefined;
  #gap: { seq: number; us: number } | undefined;
  #frame: Frame = { position: -1, selected: undefined, rows: [], paragraphs: [], gapBeforeUs: null };

  /** The page for a run, with what it opens on read: a run being recorded at its present moment, following; a finished one at its start, paused. */
  static async open(host: PageHost, runId: string): Promise<RunPage> {
    const { store } = host;
    const run = await store.getRun(runId);
    if (!run) throw new RuntapeError(`no run ${runId} in ${store.location}`);
    const page = new RunPage(host, run, await store.agents(runId), await store.lastSeq(runId));
    try {
      if (page.#recordedLive) await page.#followLive();
    } catch (error) {
      page.destroy();
      throw error;
    }
    return page;
  }

  private constructor(host: PageHost, run: RunRecord, agents: AgentRecord[], lastSeq: number) {
    const { store } = host;
    const runId = run.id;
    this.#host = host;
    this.#runId = runId;
    this.#run = run;
    this.#agents = agents;
    this.#colours = new AgentColours(this.#agents.map((a) => a.name));
    this.#lastSeq = lastSeq;
    this.#timeline = new Timeline(store, runId, () => this.#run.gaps);
    this.#text = new OutputText(store, runId);
    this.#view = new RunView(host.screen);

    this.#recordedLive = run.status === 'running';
    this.#playback = new Playback(store, runId, { stopAtEnd: false, playing: false, followMs: this.#recordedLive ? FOLLOW_MS : null });
    this.#playback.onChange(() => host.requestRender());
    this.#consume().catch((error: unknown) => host.fail(error));

    this.#feed = new AnalysisFeed(store, runId, {
      live: () => this.#run.status === 'running',
      onUpdate: (lastSeq) => {
        this.#grewTo(lastSeq);
        host.requestRender();
      },
      onError: (error) => host.fail(error),
    });
    this.#feed.start();

    this.#waterfall = new WaterfallFeed(store, runId, {
      gaps: run.gaps,
      captures: () => readCaptures(store, runId, (toolCalls) => this.#children(toolCalls)),
      end: () => this.#run,
      live: () => this.#run.status === 'running',
      onUpdate: () => host.requestRender(),
      onError: (error) => host.fail(error),
    });

    this.#timers = [
      setInterval(() => this.#playback.playing && host.requestRender(), CLOCK_TICK_MS),
      setInterval(() => this.#refreshLiveRun().catch((error: unknown) => host.fail(error)), LIVE_REFRESH_MS),
    ];
    for (const timer of this.#timers) timer.unref();
    this.#actions = this.#bindActions();
  }

  handleKey(key: KeyName): Promise<boolean> {
    return runBoundAction(RUN_KEYS, this.#actions, key);
  }

  /** Reads the windows the panes show at the playhead: the timeline's rows, the text's tail, the event before the selected one. */
  async load(): Promise<void> {
    const { screen } = this.#host;
    const layout = runLayout(Number(screen.width), Number(screen.height));
    const position = this.#playback.position;
    const selected = await this.#timeline.selectedAt(position);
    // The waterfall's rows are in memory (a few per model turn): only the event timeline reads a window.
    const rows = this.#waterfallShown ? [] : await this.#timeline.rows(position, Pane.bodyHeight(layout.timeline));
    const paragraphs = await this.#text.at(position, layout.text.width * Pane.bodyHeight(layout.text));
    const gapBeforeUs = await this.#gapBefore(selected);
    this.#frame = { position, selected, rows, paragraphs, gapBeforeUs };
  }

  render(): void {
    const { screen } = this.#host;
    const layout = runLayout(Number(screen.width), Number(screen.height));
    const { position, selected, rows, paragraphs, gapBeforeUs } = this.#frame;
    const analysis = this.#feed.analysis;
    const run = this.#run;
    const { key: detailKey, detail } = this.#waterfallShown ? this.#selectedRowDetail(position, layout.detail.width) : this.#detailOf(selected);
    const lane = handoffLane({ agents: this.#agents, path: analysis.agentPath, handoffs: analysis.handoffs, position, width: layout.lane.width, colours: this.#colours });
    const eventCount = Math.max(run.eventCount, this.#lastSeq + 1);
    const live = run.status !== 'running' ? '' : this.#playback.playing ? '  ● live: following new events' : '  ● live (G follows)';
    // Following a recording, the clock runs ahead of the last event stored: the run so far is that long.
    // Once it has ended, the clock stops at its end.
    const clockUs = Math.min(this.#playback.clockUs(), run.durationUs ?? Infinity);
    const totalUs = run.durationUs ?? (run.status === 'running' ? Math.max(clockUs, analysis.lastTUs) : analysis.lastTUs);

    this.#view.draw({
      layout,
      header: [
        span(` ${sanitizeLine(run.name ?? '(unnamed run)')}  `, { bold: true }),
        span(run.status === 'running' ? '● recording' : run.status, { fg: STATUS_COLOURS[run.status], bold: true }),
        span(`  ${eventCount} events  ${formatDuration(run.durationUs)}  ·  ${run.id.slice(0, 8)}${run.resumedFrom ? `  ·  resumes ${formatResumedFrom(run)}` : ''}${run.parentRunId ? `  ·  child of ${formatParentRun(run)}` : ''}  ·  ${formatStart(run.startedAt)}  ·  runtape`),
      ],
      timeline: this.#waterfallShown
        ? this.#waterfallPane(position, clockUs, totalUs, live, layout.timeline)
        : { title: [span(` Timeline${live}`)], lines: rows.map((r) => timelineLine(r, layout.timeline.width, this.#colours, this.#summaries)) },
      lane: { title: [span(` Handoffs (${analysis.handoffs.length})  ] next  [ previous`)], lines: lane.lines, focus: lane.focus },
      text: { title: [span(' Output text, up to the playhead')], lines: textPaneLines(paragraphs, this.#colours) },
      detail: { title: [span(` ${detail.title}  (J/K scroll)`)], lines: detail.lines, key: detailKey, matchLine: detail.matchLine },
      timing: timingLine({
        playing: this.#playback.playing,
        atEnd: this.#playback.atEnd,
        speed: this.#playback.speed,
        idleLimitUs: this.#playback.idleLimitUs,
        clockUs,
        totalUs,
        ttftUs: analysis.ttftUs,
        tokensPerSecond: analysis.tokensPerSecond,
        analysed: this.#feed.progress(run.eventCount),
        gapBeforeUs,
        selectedSeq: selected?.seq ?? null,
        lastSeq: this.#lastSeq,
        pauseOnHandoff: this.#pauseOnHandoff,
        gaps: run.gaps,
      }),
    });
  }

  footer(): Line {
    return filterLine({ shown: this.#timeline.levels, counts: this.#feed.analysis.countsByLevel, search: this.#search, searching: this.#searchProgress });
  }

  destroy(): void {
    this.#searches++; // a search still running stops
    this.#feed.stop();
    this.#waterfall.stop();
    this.#playback.dispose();
    for (const timer of this.#timers) clearInterval(timer);
    this.#view.destroy();
  }

  #bindActions(): Record<RunAction, (key: KeyName) => void | Promise<void>> {
    const toggle = (level: EventLevel) => () => this.#timeline.toggle(level);
    const jump = (names: readonly string[], direction: 1 | -1, what: string) => async () => {
      if (!(await this.#playback.jump(names, direction))) this.#host.say(`no ${what} ${direction === 1 ? 'after' : 'before'} this point`);
    };
    return {
      playPause: () => this.#playback.toggle(),
      slower: () => this.#changeSpeed(-1),
      faster: () => this.#changeSpeed(1),
      next: async () => (this.#waterfallShown ? this.#stepRows(1, 1) : this.#stepTo(await this.#timeline.neighbour(this.#playback.position, 1))),
      previous: () => (this.#waterfallShown ? this.#stepRows(-1, 1) : this.#stepBack(1)),
      pageDown: async () => (this.#waterfallShown ? this.#stepRows(1, this.#pageRows()) : this.#stepTo(await this.#timeline.neighbour(this.#playback.position, 1, this.#pageRows()))),
      pageUp: () => (this.#waterfallShown ? this.#stepRows(-1, this.#pageRows()) : this.#stepBack(this.#pageRows())),
      start: () => this.#seekTo(-1),
      end: () => (this.#run.status === 'running' ? this.#followLive() : this.#seekTo(this.#lastSeq)),
      seek: () =>
        this.#host.ask({
          kind: 'line',
          label: 'seek to (3.5s, 1200ms, 2m, #42):',
          value: '',
          onSubmit: (text) => this.#seekToPoint(text),
        }),
      jumpPercent: (key) => this.#jumpToPercent(Number(key) * 10),
      idleCap: () => this.#playback.setIdleLimit(this.#playback.idleLimitUs === null ? IDLE_CAP_US : null),
      pauseOnHandoff: () => {
        this.#pauseOnHandoff = !this.#pauseOnHandoff;
        this.#host.say(this.#pauseOnHandoff ? 'pause on handoff: on (playing stops when a handoff occurs)' : 'pause on handoff: off');
      },
      waterfall: () => {
        this.#waterfallShown = !this.#waterfallShown;
        // Read when first asked for: a look at the events alone costs no second pass over the run.
        this.#waterfall.start();
      },
      toggleRaw: toggle('raw'),
      toggleItem: toggle('item'),
      toggleAgent: toggle('agent'),
      search: () =>
        this.#host.ask({
          kind: 'line',
          label: 'search payloads:',
          value: this.#search ?? '',
          onSubmit: async (text) => {
            this.#search = text === '' ? null : text;
            if (this.#search !== null) await this.#findMatch(1);
          },
        }),
      searchNext: () => this.#findMatch(1),
      searchPrevious: () => this.#findMatch(-1),
      nextHandoff: jump(JUMP_TARGETS.handoff, 1, 'handoff'),
      previousHandoff: jump(JUMP_TARGETS.handoff, -1, 'handoff'),
      nextTool: jump(JUMP_TARGETS.tool_call, 1, 'tool call'),
      previousTool: jump(JUMP_TARGETS.tool_call, -1, 'tool call'),
      detailDown: () => this.#view.scrollDetail(1),
      detailUp: () => this.#view.scrollDetail(-1),
      back: () => this.#host.openRuns(),
      openChild: () => this.#openChildRun(),
      openParent: () => (this.#run.parentRunId ? this.#host.openRun(this.#run.parentRunId) : this.#host.say('this run is no child run: no tool call of another run started it')),
    };
  }

  /** The run's child runs, read once: from its tool calls when the caller has them already. */
  #children(toolCalls?: readonly ToolCallCaptureRecord[]): Promise<ChildRunLink[]> {
    return (this.#childRuns ??= childRunsOf(this.#host.store, this.#run, toolCalls));
  }

  /** Opens the child run of the tool call in view: the waterfall's row at the playhead, or the selected event. */
  async #openChildRun(): Promise<void> {
    const rows = this.#waterfall.rows;
    const index = this.#waterfallShown ? rowAt(rows, this.#frame.position) : null;
    const callId = index !== null ? rows[index]!.callId : this.#frame.selected && parsePayload(this.#frame.selected).item?.rawItem?.callId;
    const child = callId ? (await this.#children()).find((c) => c.callId === callId) : undefined;
    if (child) return this.#host.openRun(child.runId);
    this.#host.say('no child run here: enter opens the run an agent used as a tool ran in the selected tool call');
  }

  /** Drives the playhead: each event played is a reason to repaint. Ends when the page is disposed. */
  async #consume(): Promise<void> {
    for (let event = await this.#playback.next(); event; event = await this.#playback.next()) {
      // Following a recording, the playhead can see new events before the analysis does.
      this.#grewTo(event.seq);
      await this.#stopFollowingAtEnd();
      if (this.#pauseOnHandoff && this.#playback.playing && (JUMP_TARGETS.handoff as readonly string[]).includes(event.name)) {
        this.#playback.pause();
        this.#host.say(`paused at a handoff (#${event.seq}); space plays on, p turns pausing on handoffs off`);
      }
      this.#host.requestRender();
    }
  }

  /** The run is known to have events up to `seq` (it is being recorded). */
  #grewTo(seq: number): void {
    if (seq <= this.#lastSeq) return;
    this.#lastSeq = seq;
    this.#timeline.grew();
  }

  /**
   * The playhead to the present moment of a run being recorded, playing: events then show as they are
   * stored, each when it happened (seeking by time keeps the replay clock in step with the recording's).
   */
  async #followLive(): Promise<void> {
    await this.#playback.seekTime(Math.max(0, (Date.now() - this.#run.startedAt) * 1000));
    await this.#playback.play();
  }

  async #seekTo(seq: number): Promise<void> {
    this.#playback.pause();
    await this.#playback.seekSeq(seq);
  }

  async #stepTo(event: StoredEvent | undefined): Promise<void> {
    if (event) await this.#seekTo(event.seq);
    else this.#host.say('end of the run: nothing further is shown');
  }

  /** Back `count` shown events from the selected one; before the first, to the start. */
  async #stepBack(count: number): Promise<void> {
    const selected = await this.#timeline.selectedAt(this.#playback.position);
    await this.#seekTo(selected ? ((await this.#timeline.neighbour(selected.seq, -1, count))?.seq ?? -1) : -1);
  }

  /** `count` waterfall rows forward or back from the playhead's, pausing there; before the first, to the start. */
  async #stepRows(direction: 1 | -1, count: number): Promise<void> {
    const rows = this.#waterfall.rows;
    let position = this.#playback.position;
    let target: WaterfallRow | undefined;
    for (let i = 0; i < count; i++) {
      const next = neighbourRow(rows, position, direction);
      if (!next) break;
      target = next;
      position = next.seq!;
    }
    if (target) await this.#seekTo(target.seq!);
    else if (direction === -1) await this.#seekTo(-1);
    else this.#host.say('end of the waterfall: no row starts later');
  }

  /** Like asciinema's 0–9: the playhead to a share of the run's length, playing on if it was playing. */
  async #jumpToPercent(percent: number): Promise<void> {
    const totalUs = this.#run.durationUs ?? this.#feed.analysis.lastTUs;
    if (percent === 0) await this.#playback.seekSeq(-1);
    else await this.#playback.seekTime((totalUs * percent) / 100);
  }

  #waterfallPane(position: number, clockUs: number, totalUs: number, live: string, rect: Rect): { title: Line; lines: Line[] } {
    const rows = this.#waterfall.rows;
    const progress = this.#waterfall.progress(this.#run.eventCount);
    const reading = progress < 1 ? `  reading ${Math.floor(progress * 100)}%` : '';
    const view = waterfallView({ rows, selected: rowAt(rows, position), top: this.#waterfallTop, clockUs, totalUs, width: rect.width, height: Pane.bodyHeight(rect), colours: this.#colours });
    this.#waterfallTop = view.top;
    return { title: [span(` Waterfall (${rows.length} rows)${reading}${live}  w: events`)], lines: view.lines };
  }

  /** The playhead's waterfall row in the detail pane, remembered while it stays the same row. */
  #selectedRowDetail(position: number, width: number): { key: string; detail: Detail } {
    const rows = this.#waterfall.rows;
    const index = rowAt(rows, position);
    const row = index === null ? undefined : rows[index];
    const remembered = this.#rowDetail;
    const current = remembered && remembered.row === row && remembered.width === width ? remembered : (this.#rowDetail = { row, width, detail: waterfallDetail(row, width) });
    return { key: `row:${row?.seq ?? -1}`, detail: current.detail };
  }

  #pageRows(): number {
    const { screen } = this.#host;
    return Math.max(1, Pane.bodyHeight(runLayout(Number(screen.width), Number(screen.height)).timeline) - 1);
  }

  #changeSpeed(direction: 1 | -1): void {
    const speed = this.#playback.speed;
    const at = speed === 'instant' ? SPEEDS.length - 1 : SPEEDS.findIndex((s) => s === 'instant' || s >= speed);
    const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, at + direction))]!;
    this.#playback.setSpeed(next);
  }

  async #seekToPoint(text: string): Promise<void> {
    const point = parseRunPoint(text, 'seek');
    this.#playback.pause();
    if ('seq' in point) await this.#playback.seekSeq(Math.min(point.seq, this.#lastSeq));
    else await this.#playback.seekTime(point.tUs);
  }

  /**
   * Starts moving the playhead to the next (previous) shown event whose payload contains the search text, wrapping
   * around. The search reads the run a slice at a time, off the key path: keys are answered while it runs (its
   * progress shows in the footer), and a new search cancels it.
   */
  async #findMatch(direction: 1 | -1): Promise<void> {
    const text = this.#search;
    if (text === null) return this.#host.say('no search yet: / searches the payloads');
    const search = ++this.#searches;
    const selected = await this.#timeline.selectedAt(this.#playback.position);
    const from = direction === 1 ? this.#playback.position + 1 : (selected?.seq ?? 0) - 1;
    const last = this.#lastSeq;
    // The rest of the run in that direction, then from the other end around to where it started.
    const legs = direction === 1 ? [{ fromSeq: from, toSeq: last }, { fromSeq: 0, toSeq: from - 1 }] : [{ fromSeq: from, toSeq: 0 }, { fromSeq: last, toSeq: from + 1 }];
    this.#searchProgress = 0;
    this.#host.requestRender();
    const found = searchInSlices(this.#host.store, this.#runId, {
      direction,
      legs,
      filter: { ...this.#timeline.filter, text },
      cancelled: () => search !== this.#searches,
      progress: (share) => {
        this.#searchProgress = share;
        this.#host.requestRender();
      },
    });
    void this.#showMatch(search, text, direction, found).catch((error: unknown) => (error instanceof RuntapeError ? this.#host.say(error.message) : this.#host.fail(error)));
  }

  /** What a search found, unless a newer one took over: the playhead to it, or a word that nothing matched. */
  async #showMatch(search: number, text: string, direction: 1 | -1, found: Promise<SliceSearchResult>): Promise<void> {
    try {
      const result = await found;
      if (result === 'cancelled' || search !== this.#searches) return;
      if (result === 'none') return this.#host.say(`no shown event contains "${sanitizeLine(text)}"`);
      if (result.leg === 1) this.#host.say(`search wrapped around to the ${direction === 1 ? 'start' : 'end'}`);
      await this.#seekTo(result.event.seq);
    } finally {
      if (search === this.#searches) {
        this.#searchProgress = null;
        this.#host.requestRender();
      }
    }
  }

  /** The selected event's detail, remembered: pretty-printing a large payload on every frame would be waste. */
  #detailOf(selected: StoredEvent | undefined): { key: string; detail: Detail } {
    const key = `${selected?.seq ?? -1}|${this.#search ?? ''}`;
    if (this.#detail?.key !== key) this.#detail = { key, detail: eventDetail(selected, this.#search ?? undefined) };
    return this.#detail;
  }

  /** The silence before the selected event: its offset minus that of the event recorded just before it. */
  async #gapBefore(selected: StoredEvent | undefined): Promise<number | null> {
    if (!selected) return null;
    if (this.#gap?.seq !== selected.seq) {
      const [before] = selected.seq > 0 ? await this.#host.store.readEvents(this.#runId, { fromSeq: selected.seq - 1, limit: 1 }) : [];
      this.#gap = { seq: selected.seq, us: before ? selected.tUs - before.tUs : selected.tUs };
    }
    return this.#gap.us;
  }

  async #refreshLiveRun(): Promise<void> {
    if (this.#run.status !== 'running') return;
    this.#run = (await this.#host.store.getRun(this.#runId)) ?? this.#run;
    await this.#stopFollowingAtEnd();
    this.#host.requestRender();
  }

  /** A recording that ended while followed: once its last event has played, there is nothing left to follow. */
  async #stopFollowingAtEnd(): Promise<void> {
    if (!this.#recordedLive || this.#run.status === 'running' || !this.#playback.playing) return;
    if (this.#playback.position >= (await this.#host.store.lastSeq(this.#runId))) this.#playback.pause();
  }
}
