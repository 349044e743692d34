import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, lstatSync, realpathSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RuntapeError } from '../errors.js';
import { fileKind } from './fileKind.js';

/** Where a command's output goes: stdout, or a file that takes the name only once whole. */
export interface Output {
  /** The file written, or null for stdout. */
  readonly file: string | null;
  write(text: string): Promise<void>;
  /** Ends the output; a file then takes its name (replacing what was there). */
  commit(): Promise<void>;
  /** Drops a file not yet committed. */
  abort(): void;
}

/**
 * Opens `-o PATH` for writing. `-` (or no path) is stdout. Otherwise the output goes to a temporary file
 * beside the file it replaces and is renamed over it at the end, so a failure never leaves half a file.
 * Only a regular file is ever replaced (through a symbolic link to one, the link stays): a rename over a
 * device, FIFO or directory would put a plain file in its place. `protect` names files that must never
 * be replaced, such as the open database.
 */
export function openOutput(path: string | undefined, protect: readonly string[] = []): Output {
  if (path === undefined || path === '-') return stdoutOutput();
  const target = replaceableTarget(path, protect);
  const temp = join(dirname(target.path), `.${basename(target.path)}.${process.pid}-${randomBytes(4).toString('hex')}.part`);
  // wx: never through a file or link someone put there; the mode of the file replaced is kept.
  const stream = createWriteStream(temp, { flags: 'wx', mode: target.mode });
  // Every error also rejects whatever waits on the stream (open, drain, finish); this keeps none unhandled.
  stream.on('error', () => undefined);
  const opened = once(stream, 'open');
  opened.catch(() => undefined);
  const explained = async (step: () => Promise<void> | void) => {
    try {
      await step();
    } catch (error) {
      throw writeError(error, path);
    }
  };
  let done = false;
  return {
    file: path,
    write: (text) =>
      explained(async () => {
        await opened;
        if (!stream.write(text)) await once(stream, 'drain');
      }),
    commit: () =>
      explained(async () => {
        await opened;
        stream.end();
        await once(stream, 'finish');
        renameSync(temp, target.path);
        done = true;
      }),
    abort() {
      if (done) return;
      stream.destroy();
      rmSync(temp, { force: true });
    },
  };
}

/** A write error as one line naming the file. */
function writeError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return new RuntapeError(`disk full while writing ${path}; nothing was written`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOENT' || code === 'ENOTDIR') return new RuntapeError(`cannot write ${path}: ${code}`);
  return error;
}

function stdoutOutput(): Output {
  return {
    file: null,
    async write(text) {
      if (!process.stdout.write(text)) await once(process.stdout, 'drain');
    },
    async commit() {},
    abort() {},
  };
}

/** The file a write to `path` replaces (a symbolic link followed), and its mode; refused unless it is absent or a regular file. */
function replaceableTarget(path: string, protect: readonly string[]): { path: string; mode: number | undefined } {
  const absolute = resolve(path);
  let link: Stats;
  try {
    link = lstatSync(absolute);
  } catch {
    return { path: absolute, mode: undefined }; // nothing there yet (a missing directory is reported on open)
  }
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    throw new RuntapeError(`refusing to write ${path}: it is a symbolic link to nothing`);
  }
  const stats = link.isSymbolicLink() ? statSync(real) : link;
  if (!stats.isFile()) throw new RuntapeError(`refusing to write ${path}: it is ${fileKind(stats)}, not a regular file`);
  for (const file of protect) {
    if (sameFile(stats, file)) throw new RuntapeError(`refusing to write ${path}: it is the database ${file}`);
  }
  return { path: real, mode: stats.mode & 0o7777 };
}

function sameFile(stats: Stats, other: string): boolean {
  try {
    const o = statSync(other);
    return o.dev === stats.dev && o.ino === stats.ino;
  } catch {
    return false;
  }
}
