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
