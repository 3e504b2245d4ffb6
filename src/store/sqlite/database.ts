import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** How long a writer waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) a database file and its parent directory. WAL lets readers work
 * while one writer commits, which suits several processes sharing one file; foreign keys are off
 * in SQLite unless asked for on every connection.
 */
export function openDatabase(path: string): SqliteDatabase {
  if (!isTransient(path)) mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new Database(path);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma('foreign_keys = ON');
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

/** `:memory:` and the empty path (a private temporary file) live only as long as the connection. */
function isTransient(path: string): boolean {
  return path === ':memory:' || path === '';
}

/** Runs synchronous database work as a promise, so a throw becomes a rejection. */
export function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

/** True for SQLite's unique or primary-key constraint failure. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
