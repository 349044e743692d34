import { meetsTarget, type Figure } from './benchmark.js';
import type { Summary } from './stats.js';

function num(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100_000) return `${(value / 1000).toFixed(0)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(abs >= 1 ? 2 : 3);
}

function spread(s: Summary, unit = ''): string {
  return `${num(s.median)}${unit} (${num(s.min)}–${num(s.max)})`;
}

function targetCell(figure: Figure): string {
  if (!figure.target) return '';
  const { atMost, atLeast } = figure.target;
  // Without a baseline the target is the value's own, in its unit.
  const unit = figure.ratio ? '' : ` ${figure.unit}`;
  const wanted = [atMost !== undefined ? `≤ ${atMost}${unit}` : '', atLeast !== undefined ? `≥ ${atLeast}${unit}` : ''].filter(Boolean).join(' ');
  return `${wanted} ${meetsTarget(figure) ? 'met' : 'MISSED'}`;
}

/** The figures as a plain-text table: median (min–max) of each, its baseline, the ratio and its target. */
export function formatTable(figures: readonly Figure[]): string {
  const header = ['measurement', 'median (min–max)', 'baseline', 'ratio', 'target'];
  const rows = figures.map((f) => [
    f.name,
    spread(f.value, ` ${f.unit}`),
    f.baseline ? `${f.baseline.name}: ${spread(f.baseline.value, ` ${f.unit}`)}` : '',
    f.ratio ? spread(f.ratio, '×') : '',
    targetCell(f),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.name}: ${f.note}`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', 'notes:', ...notes].join('\n');
}
