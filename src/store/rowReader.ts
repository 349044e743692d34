import type { Check } from './recordShapes.js';

/**
 * Reads a row's JSON columns back tolerantly. A row can hold what runtape never wrote (imported before
 * imports were checked, written by another tool, damaged): a column that is not JSON of the expected shape
 * reads as `fallback` and is named in `unreadable`, so one bad row is marked instead of failing a whole list.
 */
export class RowReader {
  readonly unreadable: string[] = [];

  json<T>(column: string, text: string | null, check: Check<T>, fallback: T): T {
    if (text === null) return fallback;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.unreadable.push(column);
      return fallback;
    }
    if (check(value)) return value;
    this.unreadable.push(column);
    return fallback;
  }

  /** `{ unreadable: [...] }` when a column could not be read, else nothing: spread into the record. */
  mark(): { unreadable?: string[] } {
    return this.unreadable.length ? { unreadable: this.unreadable } : {};
  }
}
