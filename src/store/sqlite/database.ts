import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { RuntapeError, errorMessage } from '../../errors.js';
import { BUSY_TIMEOUT_MS, type OpenOptions } from '../runStore.js';
import { checkDatabaseFile } from '../databaseFiles.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { explainSqliteError } from './sqliteErrors.js';

/**
 * Opens (creating when writable) a runtape database: checks it is one, refuses a newer schema,
 * migrates an older one, and sets the pragmas the recorder relies on (WAL, synchronous=NORMAL, busy_timeout).
 * Reading a database an older runtape wrote upgrades it first (the first command after upgrading runtape is
 * often `runtape ls`), through a connection of its own, when the file can be written.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database.Database {
  try {
    return openChecked(path, options);
  } catch (error) {
    if (!(error instanceof OlderSchemaError)) throw error;
    try {
      openChecked(path, { ...options, readonly: false }).close();
    } catch (upgradeError) {
      throw new RuntapeError(`${error.message}, which needs write access: ${errorMessage(upgradeError)}`);
    }
    return openChecked(path, options);
  }
}

/** The schema is older than this runtape's, and the database was opened read-only. */
class OlderSchemaError extends RuntapeError {}

function openChecked(path: string, options: OpenOptions): Database.Database {
  const readonly = options.readonly ?? false;
  const mustExist = readonly || (options.mustExist ?? false);
  if (mustExist && !existsSync(path)) {
    throw new RuntapeError(`no database at ${path} (record a run first, e.g. \`runtape demo\`)`);
  }
  checkDatabaseFile(path);
  if (!readonly) checkWritable(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly, fileMustExist: mustExist, timeout: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
    db.pragma('foreign_keys = ON');
    checkSchema(db, path, readonly);
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    return db;
  } catch (error) {
    db?.close();
    if (readonly && cannotShareWal(error) && !hasPendingWal(path)) return openSnapshot(path);
    throw explainSqliteError(error, path);
  }
}

/**
 * Makes the database's directory if need be, and says plainly when the file or its directory cannot be
 * written: SQLite keeps its journal beside the file, so both must be writable for any write to work.
 */
function checkWritable(path: string): void {
  const dir = dirname(path);
  const denied = (code: string | undefined) => (code === 'EACCES' || code === 'EPERM' ? 'no permission to write there' : code === 'EROFS' ? 'read-only file system' : (code ?? 'error'));
  if (existsSync(path)) {
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new RuntapeError(`database ${path} is read-only (no permission to write it)`);
    }
  }
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new RuntapeError(`cannot write database ${path}: ${denied((error as NodeJS.ErrnoException).code)}`);
  }
}

/** Reading a WAL database needs its -shm file, which a read-only directory does not let SQLite create. */
function cannotShareWal(error: unknown): boolean {
  const code = String((error as { code?: unknown }).code ?? '');
  return code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY');
}

function hasPendingWal(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * A read-only copy in memory of a database whose write-ahead log is empty: all it holds is in the file.
 * The header's WAL flag is cleared (bytes 18-19), or SQLite would look for the -shm file again.
 */
function openSnapshot(path: string): Database.Database {
  try {
    const bytes = readFileSync(path);
    if (bytes.length >= 20) bytes[18] = bytes[19] = 1;
    const db = new Database(bytes, { readonly: true });
    checkSchema(db, path, true);
    return db;
  } catch (error) {
    throw explainSqliteError(error, path);
  }
}

function checkSchema(db: Database.Database, path: string, readonly: boolean): void {
  // One read transaction: another process may be creating this database right now, and the reads must all
  // see it before its first migration or all after, never a new runtape database that looks foreign.
  const { version, applicationId, tableCount } = db.transaction(() => ({
    version: db.pragma('user_version', { simple: true }) as number,
    applicationId: db.pragma('application_id', { simple: true }) as number,
    tableCount: (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n,
  }))();
  if (applicationId !== APPLICATION_ID) {
    if (tableCount > 0 || version !== 0) {
      throw new RuntapeError(`${path} is an SQLite database, but not a runtape one`);
    }
  }
  if (version > SCHEMA_VERSION) {
    throw new RuntapeError(
      `database ${path} has schema version ${version}, newer than this runtape supports (${SCHEMA_VERSION}); upgrade runtape`,
    );
  }
  if (version === SCHEMA_VERSION) return;
  if (readonly) {
    throw new OlderSchemaError(`database ${path} has schema version ${version} and needs an upgrade`);
  }
  migrate(db, version);
}

function migrate(db: Database.Database, fromVersion: number): void {
  // IMMEDIATE: two processes creating the same new database must not both run the first migration.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let v = Math.max(current, fromVersion); v < SCHEMA_VERSION; v++) {
      const migration = MIGRATIONS[v]!;
      db.exec(migration.sql);
      migration.then?.(db);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
