import pg from 'pg';
import { RampartError } from '../../core/index.js';

/**
 * SQLSTATE classes that describe the server's state rather than the statement: connection
 * exceptions (08), rolled-back transactions such as deadlocks (40), insufficient resources
 * (53) and operator intervention, which includes statement timeouts and shutdowns (57).
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57']);

/**
 * True when the same query may succeed later: the server answered with a transient SQLSTATE, or
 * never answered at all (refused connection, connect or read timeout, dropped socket).
 */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) {
    return TRANSIENT_CLASSES.has((error.code ?? '').slice(0, 2));
  }
  return true;
}

/**
 * A failed store query as a RampartError, keeping the driver's error as the cause. A database
 * that is down or overloaded is a 503 the client may retry; anything else is our bug (500).
 */
export function storeFailure(error: unknown): RampartError {
  if (error instanceof RampartError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const message = `The PostgreSQL store failed: ${reason}`;
  if (!isTransientFailure(error))
    return new RampartError('RAMPART_INTERNAL', message, { cause: error });
  return new RampartError('RAMPART_STATE_UNAVAILABLE', message, {
    cause: error,
    retryAfterSeconds: 1,
  });
}
