import type { Summary } from './stats.js';

/** One line of the table: a measurement, and how it compares with a baseline taken in the same run. */
export interface Figure {
  name: string;
  unit: string;
  value: Summary;
  baseline?: { name: string; value: Summary };
  /** value ÷ baseline, per repetition. */
  ratio?: Summary;
  /** What the ratio should be, at most or at least; or, for a goal in absolute terms, what the value should be. */
  target?: Bound | { value: Bound };
  /** How it was measured, or what it means; kept short. */
  note?: string;
}

export interface Bound {
  atMost?: number;
  atLeast?: number;
}

export interface BenchContext {
  /** A fresh directory under the run's scratch directory (removed at the end). */
  tempDir(): string;
  /** A workload size: `n`, or a small fraction of it with --quick (to check the bench runs, not to measure). */
  size(n: number): number;
  /** Progress, on stderr. */
  log(line: string): void;
}

/** A measurement to run: register it in registry.ts. */
export interface Benchmark {
  name: string;
  run(context: BenchContext): Promise<Figure[]>;
}

/** The bound a figure is held to, and the median it applies to (the ratio's, or the value's). */
export function targetOf(figure: Figure): { bound: Bound; median: number } | undefined {
  if (!figure.target) return undefined;
  if ('value' in figure.target) return { bound: figure.target.value, median: figure.value.median };
  return figure.ratio && { bound: figure.target, median: figure.ratio.median };
}

export function meetsTarget(figure: Figure): boolean | undefined {
  const target = targetOf(figure);
  if (!target) return undefined;
  const { bound, median } = target;
  return (bound.atMost === undefined || median <= bound.atMost) && (bound.atLeast === undefined || median >= bound.atLeast);
}
