import { RuntapeError, errorMessage } from '../../errors.js';

/**
 * Turns what SQLite says into one line a person can act on. The database path is named in every message,
 * since `--db` and RUNTAPE_DB make it easy to be looking at another file than one thinks.
 */
export function explainSqliteError(error: unknown, dbPath: string): RuntapeError {
  if (error instanceof RuntapeError) return error;
  const code = (error as { code?: unknown }).code;
  const detail = errorMessage(error);
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED) share the primary code's meaning.
  const primaryCode = typeof code === 'string' ? code.split('_').slice(0, 2).join('_') : '';
  switch (primaryCode) {
    case 'SQLITE_NOTADB':
      return new RuntapeError(`${dbPath} is not a runtape database (not an SQLite file)`);
    case 'SQLITE_CORRUPT':
      return new RuntapeError(`database ${dbPath} is corrupt (${detail}); copy it aside and start a new one`);
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new RuntapeError(`database ${dbPath} is locked by another process; try again when it is done`);
    case 'SQLITE_READONLY':
      return new RuntapeError(`database ${dbPath} is read-only: ${detail}`);
    case 'SQLITE_FULL':
      return new RuntapeError(`disk full while writing ${dbPath} (that write was rolled back)`);
    case 'SQLITE_CANTOPEN':
      return new RuntapeError(`cannot open database ${dbPath}: ${detail}`);
    case 'SQLITE_IOERR':
      return new RuntapeError(`I/O error on database ${dbPath}: ${detail}`);
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return new RuntapeError(`no permission to use database ${dbPath}: ${detail}`);
    default:
      return new RuntapeError(`database ${dbPath}: ${detail}`);
  }
}
