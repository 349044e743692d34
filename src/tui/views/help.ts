import { keyLabel, type Binding } from '../keys.js';
import { span, type Line } from './styled.js';

export interface HelpSection {
  title: string;
  bindings: readonly Binding[];
}

/** The help overlay: every key of every section, straight from the key tables the handlers use. */
export function helpLines(sections: readonly HelpSection[]): Line[] {
  const keysOf = (b: Binding) => b.label ?? b.keys.map(keyLabel).join(' ');
  const width = Math.max(...sections.flatMap((s) => s.bindings.map((b) => keysOf(b).length)));
  const lines: Line[] = [];
  for (const section of sections) {
    if (lines.length) lines.push([]);
    lines.push([span(section.title, { bold: true })]);
    for (const b of section.bindings) lines.push([span(`  ${keysOf(b).padEnd(width)}  `, { fg: 'yellow' }), span(b.help)]);
  }
  return lines;
}
