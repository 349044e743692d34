import { RuntapeError } from '../errors.js';
import { nonRegularFileKind } from '../io/fileKind.js';

/** The files an SQLite database is made of: the database and the journals SQLite keeps beside it. */
export function databaseFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`, `${path}-journal`];
}

/**
 * A database path must name nothing yet or a regular file, checked before SQLite sees it: SQLite would
 * block forever opening a FIFO, and would put its journal beside a device (a `/dev/null-journal`).
 */
export function checkDatabaseFile(path: string): void {
  const kind = nonRegularFileKind(path);
  if (kind !== null) throw new RuntapeError(`${path} is ${kind}, not a database file`);
}
