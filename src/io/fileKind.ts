import { statSync, type Stats } from 'node:fs';

/** What a file that is not a regular one is, in words: "a directory", "a FIFO", "a socket", "a device". */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The kind of what is at `path` (through symbolic links) when it exists and is not a regular file; null otherwise. */
export function nonRegularFileKind(path: string): string | null {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return null;
  }
  return stats.isFile() ? null : fileKind(stats);
}
