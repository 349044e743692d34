import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';

/**
 * A database's size once its write-ahead log is in the file. The recorder's writer thread may still hold the
 * database open when its run is stored, and a connection closing while another is open leaves the log as it is:
 * counted beside the file, its pages (copies of pages the file holds, or will) would make the figure depend on
 * which thread closed last.
 */
export function databaseBytes(path: string): number {
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
}
