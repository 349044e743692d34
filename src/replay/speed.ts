import { RuntapeError } from '../errors.js';

export type Speed = number | 'instant';
export const MIN_SPEED = 0.1;
export const MAX_SPEED = 100;

export function checkSpeed(speed: Speed): Speed {
  if (speed === 'instant') return speed;
  if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new RuntapeError(`speed must be between ${MIN_SPEED} and ${MAX_SPEED}, or instant (got ${speed})`);
  }
  return speed;
}

/** `4`, `4x`, `0.5x`, `instant`. */
export function parseSpeed(text: string): Speed {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'instant' || trimmed === 'max') return 'instant';
  const value = Number(trimmed.replace(/x$/, ''));
  if (trimmed === '' || Number.isNaN(value)) throw new RuntapeError(`--speed: expected a number like 2 or 0.5x, or "instant" (got "${text}")`);
  return checkSpeed(value);
}

export function formatSpeed(speed: Speed): string {
  return speed === 'instant' ? 'instant' : `${speed}x`;
}

/** A point in a run: `42` or `#42` is a seq, `3.5s` / `1200ms` a time offset. */
export type RunPoint = { seq: number } | { tUs: number };

export function parseRunPoint(text: string, flag: string): RunPoint {
  const trimmed = text.trim();
  const seq = /^#?(\d+)$/.exec(trimmed);
  if (seq) return { seq: Number(seq[1]) };
  const time = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(trimmed);
  if (time) return { tUs: Math.round(Number(time[1]) * { ms: 1e3, s: 1e6, m: 6e7 }[time[2] as 'ms' | 's' | 'm']) };
  throw new RuntapeError(`${flag}: expected a seq (42 or #42) or a time (3.5s, 1200ms, 2m), got "${text}"`);
}
