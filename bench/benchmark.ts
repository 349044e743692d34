import type { Summary } from './stats.js';

/** One line of the table: a measurement, and how it compares with a baseline taken in the same run. */
export interface Figure {
  name: string;
  unit: string;
  value: Summary;
  baseline?: { name: string; value: Summary };
  /** value ÷ baseline, per repetition. */
  ratio?: Summary;
  /** What the ratio should be (the value, for a figure without a baseline): at most or at least this. */
  target?: { atMost?: number; atLeast?: number };
  /** How it was measured, or what it means; kept short. */
  note?: string;
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

export function meetsTarget(figure: Figure): boolean | undefined {
  if (!figure.target) return undefined;
  const r = (figure.ratio ?? figure.value).median;
  return (figure.target.atMost === undefined || r <= figure.target.atMost) && (figure.target.atLeast === undefined || r >= figure.target.atLeast);
}
