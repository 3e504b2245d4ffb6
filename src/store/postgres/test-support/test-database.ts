import { createManualClock, type ContractHarness } from '../../contract/index.js';
import { openPostgresRecords, type PostgresRecords } from '../open-postgres-records.js';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A schema name no other test run uses. */
export function throwawaySchema(): string {
  return `rampart_test_${randomBytes(6).toString('hex')}`;
}

/** Runs one query on a connection of its own, outside any pool under test. */
export async function queryDirect<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await queryDirect(url, `DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
}

/**
 * A contract harness over one store of `openPostgresRecords`: a fresh schema per test, and every
 * client opened shares one manual clock and the schema.
 */
export async function recordsHarness<S>(
  databaseUrl: string,
  pick: (records: PostgresRecords) => S,
): Promise<ContractHarness<S>> {
  const clock = createManualClock();
  const schema = throwawaySchema();
  const open = () =>
    openPostgresRecords({ url: databaseUrl, schema, clock: clock.now, maxConnections: 4 });
  const opened = [await open()];
  const latest = () => pick(opened.at(-1)!);
  const closeAll = () => Promise.all(opened.map((records) => records.close()));
  return {
    store: latest(),
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    reopen: async () => {
      await closeAll();
      opened.push(await open());
      return latest();
    },
    connectAnother: async () => {
      opened.push(await open());
      return latest();
    },
    close: async () => {
      await closeAll();
      await dropSchema(databaseUrl, schema);
    },
  };
}
