import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRampartError } from '../../core/index.js';
import {
  migrate,
  migrationLockKey,
  POSTGRES_MIGRATIONS,
  type PostgresMigration,
} from './migrations.js';
import { describeWithPostgres } from '../test-support/services.js';
import { dropSchema, queryDirect, throwawaySchema } from './test-support/test-database.js';

describe('postgres migrations', () => {
  it('lists migrations with strictly increasing versions', () => {
    const versions = POSTGRES_MIGRATIONS.map((migration) => migration.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('derives a different 64-bit lock key for each schema', () => {
    const key = BigInt(migrationLockKey('rampart'));

    expect(migrationLockKey('rampart')).toBe(key.toString());
    expect(migrationLockKey('rampart_two')).not.toBe(key.toString());
    expect(key >= -(2n ** 63n) && key < 2n ** 63n).toBe(true);
  });
});

describeWithPostgres('migrate', (databaseUrl) => {
  let schema: string;
  const clients: pg.Client[] = [];

  beforeEach(() => {
    schema = throwawaySchema();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
    await dropSchema(databaseUrl, schema);
  });

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: databaseUrl });
    clients.push(client);
    await client.connect();
    return client;
  }

  const rows = (sql: string) => queryDirect(databaseUrl, sql);

  // Each application leaves a row in `runs`, so a step applied twice shows as two rows.
  const counted: PostgresMigration[] = [
    {
      version: 1,
      name: 'one',
      sql: 'CREATE TABLE runs (version integer); INSERT INTO runs VALUES (1); SELECT pg_sleep(0.1)',
    },
    { version: 2, name: 'two', sql: 'INSERT INTO runs VALUES (2)' },
  ];

  it('applies each step once when three clients migrate a new schema together', async () => {
    const connected = await Promise.all([connect(), connect(), connect()]);

    const versions = await Promise.all(
      connected.map((client) => migrate(client, { schema, migrations: counted })),
    );

    expect(versions).toEqual([2, 2, 2]);
    expect(await rows(`SELECT version FROM ${schema}.runs ORDER BY version`)).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
    expect(await rows(`SELECT version, name FROM ${schema}.schema_migrations`)).toEqual([
      { version: 1, name: 'one' },
      { version: 2, name: 'two' },
    ]);
  });

  it('applies only the pending steps later', async () => {
    const client = await connect();

    expect(await migrate(client, { schema, migrations: counted.slice(0, 1) })).toBe(1);
    expect(await migrate(client, { schema, migrations: counted })).toBe(2);
    expect(await migrate(client, { schema, migrations: counted })).toBe(2);

    expect(await rows(`SELECT version FROM ${schema}.runs ORDER BY version`)).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
  });

  it('rolls everything back, the schema included, when a step fails', async () => {
    const client = await connect();
    const broken = [...counted, { version: 3, name: 'broken', sql: 'SELECT * FROM nowhere' }];

    await expect(migrate(client, { schema, migrations: broken })).rejects.toThrow(
      'relation "nowhere" does not exist',
    );

    const found = await rows(`SELECT 1 FROM pg_namespace WHERE nspname = '${schema}'`);
    expect(found).toEqual([]);
    expect(await migrate(client, { schema, migrations: counted })).toBe(2);
  });

  it('refuses a schema newer than the migrations it knows', async () => {
    const client = await connect();
    await migrate(client, { schema, migrations: counted });

    const error: unknown = await migrate(client, { schema, migrations: counted.slice(0, 1) }).catch(
      (caught: unknown) => caught,
    );

    expect(isRampartError(error, 'RAMPART_CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toBe(
      `The PostgreSQL schema ${schema} is at version 2, newer than this build knows (1). ` +
        'Upgrade Rampart or configure another schema.',
    );
    expect(await rows(`SELECT count(*)::int AS n FROM ${schema}.runs`)).toEqual([{ n: 2 }]);
  });

  it('creates nothing outside its own schema', async () => {
    const client = await connect();
    await migrate(client, { schema });

    const tables = await rows(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}'
       ORDER BY table_name`,
    );
    expect(tables).toEqual([
      { table_name: 'api_keys' },
      { table_name: 'audit_entries' },
      { table_name: 'jobs' },
      { table_name: 'schema_migrations' },
      { table_name: 'usage_models' },
      { table_name: 'usage_turns' },
    ]);
    const publicTables = await rows(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('api_keys', 'schema_migrations')",
    );
    expect(publicTables).toEqual([]);
  });
});
