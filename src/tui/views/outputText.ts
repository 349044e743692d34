import { textDeltaOf } from '../../events/payload.js';
import { sanitizeLine, sanitizeText } from '../../events/sanitize.js';
import type { RunStore } from '../../store/runStore.js';
import type { StoredEvent } from '../../store/types.js';
import type { AgentColours } from './agentColours.js';
import { span, type Line } from './styled.js';

/** The text one model response streamed, and the agent it streamed for. */
export interface TextParagraph {
  agent: string | null;
  /** Sanitized: safe for a terminal, newlines and tabs kept. */
  text: string;
  /** False when the paragraph began before the part of the text that is held (only its end is shown). */
  whole: boolean;
}

/** The events text is assembled from: deltas, and the start of each response (a paragraph break). */
const TEXT_EVENTS = { names: ['output_text_delta', 'response_started'] };
const READ_WINDOW = 512;

interface Piece {
  seq: number;
  agent: string | null;
  /** null: a response started here. */
  text: string | null;
}

/**
 * The output text of a run up to the playhead, as the text pane shows it. Holds only the tail that can be
 * on screen (`budget` characters), read backwards from the playhead; as the playhead moves forward it
 * reads just the new deltas and appends them. So neither a seek nor playing re-reads the run from the
 * start, whatever its size.
 */
export class OutputText {
  readonly #store: RunStore;
  readonly #runId: string;
  #pieces: Piece[] = [];
  #chars = 0;
  /** The pieces hold the text events in (#from, #to]: #from = -1 when that is everything from the start. */
  #from = -1;
  #to = -1;
  #budget = 0;

  constructor(store: RunStore, runId: string) {
    this.#store = store;
    this.#runId = runId;
  }

  /**
   * At least the last `budget` characters of the text streamed up to and including `position`. One caller
   * at a time: it keeps what it read for the next call.
   */
  async at(position: number, budget: number): Promise<TextParagraph[]> {
    const moved = position - this.#to;
    // Reading forward pays per event passed: past a few screens' worth, reading back from the new place is cheaper.
    if (budget > this.#budget || moved < 0 || moved > budget * 4) await this.#readBackFrom(position, budget);
    else if (moved > 0) await this.#readForwardTo(position, budget);
    return this.#paragraphs();
  }

  async #readBackFrom(position: number, budget: number): Promise<void> {
    const pieces: Piece[] = [];
    let chars = 0;
    let from = position;
    let done = false;
    while (!done && from >= 0) {
      const window = await this.#store.readEvents(this.#runId, { fromSeq: from, limit: READ_WINDOW, backward: true, filter: TEXT_EVENTS });
      for (const event of window) {
        const piece = pieceOf(event);
        // With enough text held, stop before the next text; but take a response start, which makes its paragraph whole.
        if (chars >= budget && piece.text !== null) {
          from = event.seq;
          done = true;
          break;
        }
        pieces.push(piece);
        chars += piece.text?.length ?? 0;
        from = event.seq - 1;
        if (chars >= budget && piece.text === null) {
          done = true;
          break;
        }
      }
      if (!done && window.length < READ_WINDOW) from = -1;
    }
    this.#pieces = pieces.reverse();
    this.#chars = chars;
    this.#from = from;
    this.#to = position;
    this.#budget = budget;
  }

  async #readForwardTo(position: number, budget: number): Promise<void> {
    // Seqs have no gaps: (#to, position] holds at most position - #to events, so read no more than that.
    for (let from = this.#to + 1; from <= position; ) {
      const window = await this.#store.readEvents(this.#runId, { fromSeq: from, limit: Math.min(READ_WINDOW, position - from + 1), filter: TEXT_EVENTS });
      for (const event of window) {
        if (event.seq > position) break;
        const piece = pieceOf(event);
        this.#pieces.push(piece);
        this.#chars += piece.text?.length ?? 0;
      }
      from = window.length === 0 ? position + 1 : window.at(-1)!.seq + 1;
    }
    this.#to = position;
    this.#budget = budget;
    // Forget what scrolled out of reach, whole pieces at a time.
    let drop = 0;
    while (drop < this.#pieces.length - 1 && this.#chars - (this.#pieces[drop]!.text?.length ?? 0) >= budget) {
      this.#chars -= this.#pieces[drop]!.text?.length ?? 0;
      drop++;
    }
    if (drop > 0) this.#from = this.#pieces.splice(0, drop).at(-1)!.seq;
  }

  #paragraphs(): TextParagraph[] {
    const paragraphs: TextParagraph[] = [];
    let current: TextParagraph | undefined;
    // Held from the run's start, the first paragraph is whole too.
    let sawStart = this.#from === -1;
    for (const piece of this.#pieces) {
      if (piece.text === null) {
        current = undefined;
        sawStart = true;
      } else {
        if (!current) paragraphs.push((current = { agent: piece.agent, text: '', whole: sawStart }));
        current.text += piece.text;
      }
    }
    // A response that streamed no text (a tool call, a handoff) is no paragraph.
    return paragraphs.filter((p) => p.text !== '');
  }
}

function pieceOf(event: StoredEvent): Piece {
  const delta = textDeltaOf(event);
  return { seq: event.seq, agent: event.agent, text: delta === undefined ? null : sanitizeText(delta) };
}

/** The text pane's lines: each paragraph under its agent's name, in its agent's colour. */
export function textPaneLines(paragraphs: readonly TextParagraph[], colours: AgentColours): Line[] {
  const lines: Line[] = [];
  for (const p of paragraphs) {
    if (lines.length) lines.push([]);
    const colour = colours.of(p.agent);
    lines.push([span(`▌ ${sanitizeLine(p.agent ?? 'output')}${p.whole ? '' : ' (continued)'}`, { fg: colour, bold: true })]);
    for (const text of p.text.split('\n')) lines.push([span(text, { fg: colour })]);
  }
  return lines;
}
