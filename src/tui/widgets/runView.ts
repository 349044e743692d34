import type { Widgets } from 'blessed';
import type { RunLayout } from '../views/layout.js';
import type { Line } from '../views/styled.js';
import { LineBox, Pane, viewContainer } from './pane.js';

/** Everything the run view shows, as the run page computed it for one frame. */
export interface RunFrame {
  layout: RunLayout;
  header: Line;
  timeline: { title: Line; lines: Line[] };
  lane: { title: Line; lines: Line[]; focus: number };
  text: { title: Line; lines: Line[] };
  /** `key` names what the detail shows: when it changes, the payload scrolls back to its top (or its match). */
  detail: { title: Line; lines: Line[]; key: string; matchLine: number | null };
  timing: Line;
}

/** The blessed side of the run view: places the panes and hands them their lines. */
export class RunView {
  readonly #container: Widgets.BoxElement;
  readonly #header: LineBox;
  readonly #timing: LineBox;
  readonly #timeline: Pane;
  readonly #lane: Pane;
  readonly #text: Pane;
  readonly #detail: Pane;
  #detailKey = '';

  constructor(screen: Widgets.Screen) {
    const c = (this.#container = viewContainer(screen));
    this.#header = new LineBox(c, { bg: 'black', fg: 'white' });
    this.#timing = new LineBox(c);
    this.#timeline = new Pane(c);
    this.#lane = new Pane(c);
    this.#text = new Pane(c, { wrap: true });
    this.#detail = new Pane(c, { wrap: true });
  }

  draw(frame: RunFrame): void {
    const { layout } = frame;
    this.#header.place(layout.header);
    this.#header.set(frame.header);
    this.#timing.place(layout.timing);
    this.#timing.set(frame.timing);

    this.#timeline.place(layout.timeline);
    this.#timeline.title.set(frame.timeline.title);
    this.#timeline.setLines(frame.timeline.lines);

    this.#lane.place(layout.lane);
    this.#lane.title.set(frame.lane.title);
    this.#lane.setLines(frame.lane.lines);
    // The latest handoff at the top, the lines under it (tool, arguments, reason) below it as far as they fit.
    const laneRows = Pane.bodyHeight(layout.lane);
    this.#lane.body.setScroll(Math.max(0, Math.min(frame.lane.focus, frame.lane.lines.length - laneRows)));

    this.#text.place(layout.text);
    this.#text.title.set(frame.text.title);
    this.#text.setLines(frame.text.lines);
    this.#text.body.setScrollPerc(100);

    this.#detail.place(layout.detail);
    this.#detail.title.set(frame.detail.title);
    this.#detail.setLines(frame.detail.lines);
    if (frame.detail.key !== this.#detailKey) {
      this.#detailKey = frame.detail.key;
      this.#detail.body.setScroll(frame.detail.matchLine ?? 0);
    }
  }

  /** Scrolls the payload by half its height, down (1) or up (-1). */
  scrollDetail(direction: 1 | -1): void {
    const rows = Number(this.#detail.body.height) || 2;
    this.#detail.body.scroll(direction * Math.max(1, Math.floor(rows / 2)));
  }

  destroy(): void {
    this.#container.destroy();
  }
}
