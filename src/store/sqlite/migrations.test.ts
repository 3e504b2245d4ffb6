import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaVersion, type Migration } from './migrations.js';

describe('migrate', () => {
  let database: Database.Database;

  beforeEach(() => {
    database = new Database(':memory:');
  });
  afterEach(() => database.close());

  const tables = () =>
    database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();

  it('lists migrations with strictly increasing versions', () => {
    const versions = MIGRATIONS.map((migration) => migration.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('applies pending migrations in order and skips applied ones', () => {
    const steps: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE first (a INTEGER)' },
      { version: 2, name: 'two', sql: 'ALTER TABLE first ADD COLUMN b INTEGER' },
    ];

    expect(migrate(database, steps.slice(0, 1))).toBe(1);
    expect(migrate(database, steps)).toBe(2);
    expect(migrate(database, steps)).toBe(2);

    const columns = database.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('first');
    expect(columns).toEqual(['a', 'b']);
    expect(database.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1, 2]);
  });

  it('rolls a failing migration back completely', () => {
    const steps: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE first (a INTEGER)' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE second (a INTEGER); SELECT * FROM nowhere' },
    ];

    expect(() => migrate(database, steps)).toThrow(/no such table: nowhere/);

    expect(schemaVersion(database)).toBe(1);
    expect(tables()).toEqual(['first', 'schema_migrations']);
  });
});
