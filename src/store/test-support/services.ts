import { describe, it } from 'vitest';

/**
 * Backing services (Redis, PostgreSQL) for tests, named by environment variable. Locally a
 * missing variable skips the tests that need the service; in CI (`CI` set) it fails them, so a
 * misconfigured pipeline cannot pass by running nothing.
 */

/** The service's URL, or `undefined` when the variable is unset (or empty). */
export function serviceUrl(variable: string): string | undefined {
  const value = process.env[variable];
  return value === undefined || value === '' ? undefined : value;
}

/** True when the tests run in CI, where every service must be configured. */
export function isCi(): boolean {
  const value = process.env.CI;
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/**
 * A `describe` block that needs a service. It runs with the URL when the variable is set; is
 * skipped when it is not; and, in CI without the variable, reports one failing test that names
 * the missing variable.
 */
export function describeWithService(
  variable: string,
  name: string,
  body: (url: string) => void,
): void {
  const url = serviceUrl(variable);
  if (url !== undefined) {
    describe(name, () => body(url));
    return;
  }
  if (isCi()) {
    describe(name, () => {
      it(`needs ${variable}`, () => {
        throw new Error(`${variable} is not set, but CI is: these tests must run in CI.`);
      });
    });
    return;
  }
  describe.skip(name, () => {
    it(`needs ${variable} (unset, skipped)`, () => undefined);
  });
}

/** `describeWithService` for Redis, from `REDIS_URL` (e.g. `redis://127.0.0.1:6379`). */
export function describeWithRedis(name: string, body: (url: string) => void): void {
  describeWithService('REDIS_URL', name, body);
}

/** `describeWithService` for PostgreSQL, from `DATABASE_URL`. */
export function describeWithPostgres(name: string, body: (url: string) => void): void {
  describeWithService('DATABASE_URL', name, body);
}
