import { RuntapeError } from '../errors.js';

/** Parses `--since`: a relative age (90s, 30m, 2h, 7d) or anything Date understands. Returns epoch ms. */
export function parseSince(text: string, now = Date.now()): number {
  const relative = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (relative) {
    const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return now - Number(relative[1]) * unitMs;
  }
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) throw new RuntapeError(`--since: "${text}" is neither an age (30m, 2h, 7d) nor a date`);
  return parsed;
}
