import { formatRunTiming } from '../display/format.js';
import { sanitizeLine, terminalSafeJson } from '../events/sanitize.js';
import { describeDifference, type Difference } from '../rerun/difference.js';
import type { TimingSummary } from '../rerun/runDiff.js';

/** Two runs' differences for people: one line each, the two sides labelled (run ids, or recorded / now). */
export function formatDifferences(differences: readonly Difference[], labels: { a: string; b: string }): string[] {
  return differences.map((difference) => `  ${sanitizeLine(describeDifference(difference, labels))}`);
}

/** The timing beside a comparison: stated, never compared. */
export function formatTiming(timing: { a: TimingSummary; b: TimingSummary }, labels: { a: string; b: string }): string {
  const side = (label: string, t: TimingSummary) => `${label} ${formatRunTiming(t)}`;
  return `timing (not compared): ${side(labels.a, timing.a)}; ${side(labels.b, timing.b)}`;
}

/** JSON for machines, safe to print to a terminal. */
export function formatJson(value: unknown): string {
  return terminalSafeJson(JSON.stringify(value, null, 2));
}
