import type { Colour } from './styled.js';

// Readable on dark and light backgrounds alike; red and gray are kept for errors and the not-yet-played.
const PALETTE: readonly Colour[] = ['cyan', 'yellow', 'magenta', 'green', 'light-blue', 'light-red', 'white'];

/**
 * One colour per agent, the same in every pane: assigned in the order of the agent graph at run start,
 * so a run looks the same every time it is opened; agents not in the graph get the next free colour.
 */
export class AgentColours {
  readonly #byName = new Map<string, Colour>();

  constructor(names: readonly string[]) {
    for (const name of names) this.of(name);
  }

  of(name: string | null): Colour {
    if (name === null) return 'white';
    let colour = this.#byName.get(name);
    if (!colour) {
      colour = PALETTE[this.#byName.size % PALETTE.length]!;
      this.#byName.set(name, colour);
    }
    return colour;
  }
}
