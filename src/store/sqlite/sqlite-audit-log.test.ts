import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  decision,
  describeAuditLogContract,
  type AuditLogHarness,
} from '../contract/index.js';
import { openSqliteStore, type SqliteStore } from './open-sqlite-store.js';

/**
 * A file-backed store under a fresh directory; every client opened shares one manual clock, and
 * raw statements go through a connection of their own, as another program's would.
 */
function fileHarness(): Promise<AuditLogHarness> {
  const clock = createManualClock();
  const directory = mkdtempSync(join(tmpdir(), 'rampart-audit-'));
  const path = join(directory, 'rampart.db');
  const opened: SqliteStore[] = [];
  const open = () => {
    opened.push(openSqliteStore({ path, clock: clock.now }));
    return opened.at(-1)!.audit;
  };
  const closeAll = () => Promise.all(opened.map((store) => store.close()));
  return Promise.resolve({
    store: open(),
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    reopen: async () => {
      await closeAll();
      return open();
    },
    connectAnother: () => Promise.resolve(open()),
    execute: (sql) => Promise.resolve().then(() => runDirect(path, sql)),
    // REPLACE deletes the old row without firing DELETE triggers unless recursive triggers are
    // on in the writer's own connection, which no attacker would turn on.
    overwrite: (seq) =>
      `INSERT OR REPLACE INTO audit_entries SELECT seq, id, at, user_id, key_id, role, session_id, ` +
      `request_id, tool, call_id, arguments_digest, 'allowed', rule, reason FROM audit_entries ` +
      `WHERE seq = ${seq}`,
    close: async () => {
      await closeAll();
      rmSync(directory, { recursive: true, force: true });
    },
  });
}

function runDirect(path: string, sql: string): void {
  const database = new Database(path);
  try {
    database.exec(sql);
  } finally {
    database.close();
  }
}

describeAuditLogContract('sqlite file', fileHarness, { durable: true, sharedClients: true });

describe('SqliteAuditLog', () => {
  let directory: string;
  let path: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'rampart-audit-'));
    path = join(directory, 'rampart.db');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('adds the audit table in its own migration', async () => {
    const store = openSqliteStore({ path });
    expect(store.schemaVersion()).toBe(5);
    await store.close();

    const database = new Database(path, { readonly: true });
    try {
      const rows = database.prepare('SELECT version, name FROM schema_migrations').all();
      expect(rows[3]).toEqual({ version: 4, name: 'audit log' });
    } finally {
      database.close();
    }
  });

  it('never reuses a seq, and stores the reason as JSON text', async () => {
    const clock = createManualClock();
    const store = openSqliteStore({ path, clock: clock.now });
    const first = await store.audit.append(decision({ reason: 'lone \uD800' }));
    await store.close();

    const database = new Database(path);
    try {
      const row = database.prepare('SELECT seq, at, reason FROM audit_entries').get();
      expect(row).toEqual({ seq: first.seq, at: clock.now(), reason: '"lone \\ud800"' });
      const insert = database.prepare(
        `INSERT INTO audit_entries (id, at, user_id, key_id, role, tool, call_id,
          arguments_digest, verdict, rule, reason) VALUES (?, 0, 'u', 'k', 'r', 't', 'c', ?,
          'maybe', 'x', '""')`,
      );
      expect(() => insert.run('aud_x', first.argumentsDigest)).toThrow(/CHECK constraint/);
    } finally {
      database.close();
    }
  });

  it('refuses a store that is closed', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.close();

    await expect(store.audit.append(decision())).rejects.toThrow(/database connection is not open/);
  });
});
