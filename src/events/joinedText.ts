/** A string that pieces are taken from: compared by identity, so telling two sources apart costs nothing. */
export interface TextSource {
  text: string;
}

/**
 * A string assembled from pieces, made once at the end: pieces of one source that lie side by side stay one
 * slice of it, so a run of text deltas costs no string each (their batch's text is their source).
 */
export class JoinedText {
  readonly #parts: string[] = [];
  #source: TextSource | null = null;
  #from = 0;
  #to = 0;
  length = 0;

  /** `source.text` from `start` to `end`. */
  addPiece(source: TextSource, start: number, end: number): void {
    if (source !== this.#source || start !== this.#to) {
      this.#flush();
      this.#source = source;
      this.#from = start;
    }
    this.#to = end;
    this.length += end - start;
  }

  /** A string of its own. */
  add(text: string): void {
    this.#flush();
    this.#parts.push(text);
    this.length += text.length;
  }

  toString(): string {
    this.#flush();
    return this.#parts.length === 1 ? this.#parts[0]! : this.#parts.join('');
  }

  #flush(): void {
    if (this.#source && this.#to > this.#from) this.#parts.push(this.#source.text.slice(this.#from, this.#to));
    this.#source = null;
    this.#from = this.#to = 0;
  }
}
