/**
 * What the view models hand to the widgets: lines of text spans with a style each. Span text is already
 * sanitized (no control characters); turning it into blessed markup, and escaping it there, is the
 * widgets' job (see widgets/markup.ts). Keeping styles abstract keeps the view models free of blessed.
 */
export type Colour = 'cyan' | 'yellow' | 'magenta' | 'green' | 'light-blue' | 'light-red' | 'white' | 'gray' | 'red' | 'blue' | 'black';

export interface SpanStyle {
  fg?: Colour;
  bg?: Colour;
  bold?: boolean;
  inverse?: boolean;
}

export interface Span {
  text: string;
  style?: SpanStyle;
}

export type Line = Span[];

export function span(text: string, style?: SpanStyle): Span {
  return style ? { text, style } : { text };
}

/** The text of a line without its styles (what a test, or a terminal capture, reads). */
export function plainOf(line: Line): string {
  return line.map((s) => s.text).join('');
}
