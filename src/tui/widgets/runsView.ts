import type { Widgets } from 'blessed';
import type { Rect } from '../views/layout.js';
import type { Line } from '../views/styled.js';
import { LineBox, Pane, viewContainer } from './pane.js';

/** The blessed side of the runs view and the comparison of two runs: a header, and a table (its column names as the pane title). */
export class RunsView {
  readonly #container: Widgets.BoxElement;
  readonly #header: LineBox;
  readonly #table: Pane;

  constructor(private readonly screen: Widgets.Screen) {
    this.#container = viewContainer(screen);
    this.#header = new LineBox(this.#container, { bg: 'black', fg: 'white' });
    this.#table = new Pane(this.#container);
  }

  /** The table's size: the screen but the header and footer rows. */
  get tableRect(): Rect {
    const width = Number(this.screen.width);
    return { left: 0, top: 1, width, height: Math.max(2, Number(this.screen.height) - 2) };
  }

  draw(frame: { header: Line; columns: Line; rows: Line[] }): void {
    const width = Number(this.screen.width);
    this.#header.place({ left: 0, top: 0, width, height: 1 });
    this.#header.set(frame.header);
    this.#table.place(this.tableRect);
    this.#table.title.set(frame.columns);
    this.#table.setLines(frame.rows);
  }

  destroy(): void {
    this.#container.destroy();
  }
}
