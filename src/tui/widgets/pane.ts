import blessed from 'blessed';
import type { Widgets } from 'blessed';
import type { Rect } from '../views/layout.js';
import type { Line } from '../views/styled.js';
import { markup, markupLines } from './markup.js';

/** A one-row box showing one styled line (headers, status lines, the footer). */
export class LineBox {
  readonly box: Widgets.BoxElement;
  #content = '';

  constructor(parent: Widgets.Node, style: Widgets.Types.TStyle = {}) {
    this.box = blessed.box({ parent, height: 1, tags: true, wrap: false, style });
  }

  place(rect: Rect): void {
    place(this.box, rect);
  }

  set(line: Line): void {
    const content = markup(line);
    if (content !== this.#content) this.box.setContent((this.#content = content));
  }
}

/**
 * A pane: a title row and a body below it. Content is only handed to blessed when it changed, since
 * blessed re-parses a box's whole content on every set.
 */
export class Pane {
  readonly title: LineBox;
  readonly body: Widgets.BoxElement;
  #content = '';

  constructor(parent: Widgets.Node, options: { wrap?: boolean } = {}) {
    this.title = new LineBox(parent, { bg: 'blue', fg: 'white', bold: true });
    this.body = blessed.box({ parent, tags: true, wrap: options.wrap ?? false, scrollable: true, alwaysScroll: true });
  }

  place(rect: Rect): void {
    this.title.place({ ...rect, height: 1 });
    place(this.body, { ...rect, top: rect.top + 1, height: Math.max(0, rect.height - 1) });
  }

  /** Rows the body has (its title takes one). */
  static bodyHeight(rect: Rect): number {
    return Math.max(0, rect.height - 1);
  }

  /** Sets the body's lines; true when they changed. */
  setLines(lines: readonly Line[]): boolean {
    const content = markupLines(lines);
    if (content === this.#content) return false;
    this.body.setContent((this.#content = content));
    return true;
  }
}

function place(element: Widgets.BoxElement, rect: Rect): void {
  element.left = rect.left;
  element.top = rect.top;
  element.width = rect.width;
  element.height = rect.height;
}

/** A box over the screen but its last row (the footer's) that a view's widgets live in: destroying it takes the view away. */
export function viewContainer(screen: Widgets.Screen): Widgets.BoxElement {
  return blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%-1' });
}
