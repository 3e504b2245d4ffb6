import type { Principal } from '../../core/index.js';
import { apiKeyMatches, generateApiKey, parseApiKeyId } from '../api-key-format.js';
import { checkApiKeyInput } from '../text-rules.js';
import type { ApiKeyRecord, CreateApiKeyInput, CreatedApiKey, KeyStore } from '../types.js';
import { isUniqueViolation, settle, type SqliteDatabase } from './database.js';

interface KeyRow {
  id: string;
  hash: Buffer;
  user_id: string;
  role: string;
  tier: string;
  permissions: string;
  label: string | null;
  team: string | null;
  created_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, hash, user_id, role, tier, permissions, label, team, created_at, revoked_at';

/** API keys in SQLite, stored only as SHA-256 hashes and found by their public id. */
export class SqliteKeyStore implements KeyStore {
  private readonly insert;
  private readonly byId;
  private readonly all;
  private readonly byUser;
  private readonly revokeById;

  constructor(
    database: SqliteDatabase,
    private readonly clock: () => number,
  ) {
    this.insert = database.prepare(
      `INSERT INTO api_keys (${COLUMNS}) VALUES
        (@id, @hash, @user_id, @role, @tier, @permissions, @label, @team, @created_at,
         @revoked_at)`,
    );
    this.byId = database.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`);
    this.all = database.prepare(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, rowid`);
    this.byUser = database.prepare(
      `SELECT ${COLUMNS} FROM api_keys WHERE user_id = ? ORDER BY created_at, rowid`,
    );
    this.revokeById = database.prepare(
      'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    );
  }

  create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    return settle(() => {
      checkApiKeyInput(input);
      for (;;) {
        const generated = generateApiKey();
        const row = newRow(input, generated.id, generated.hash, this.clock());
        try {
          this.insert.run(row);
        } catch (error) {
          // A 64-bit id collision is astronomically rare; draw again rather than fail.
          if (isUniqueViolation(error)) continue;
          throw error;
        }
        return { key: generated.key, record: toRecord(row) };
      }
    });
  }

  authenticate(secret: string): Promise<Principal | undefined> {
    return settle(() => {
      const id = parseApiKeyId(secret);
      if (id === undefined) return undefined;
      const row = this.byId.get(id) as KeyRow | undefined;
      if (!row || row.revoked_at !== null || !apiKeyMatches(secret, row.hash)) return undefined;
      return toPrincipal(row);
    });
  }

  list(userId?: string): Promise<ApiKeyRecord[]> {
    return settle(() => {
      const rows = userId === undefined ? this.all.all() : this.byUser.all(userId);
      return (rows as KeyRow[]).map(toRecord);
    });
  }

  revoke(keyId: string): Promise<boolean> {
    return settle(() => {
      if (typeof keyId !== 'string') return false;
      return this.revokeById.run(this.clock(), keyId).changes > 0;
    });
  }
}

function newRow(input: CreateApiKeyInput, id: string, hash: Buffer, now: number): KeyRow {
  return {
    id,
    hash,
    user_id: input.userId,
    role: input.role,
    tier: input.tier,
    permissions: JSON.stringify(input.permissions),
    label: input.label ?? null,
    team: input.team ?? null,
    created_at: now,
    revoked_at: null,
  };
}

function toRecord(row: KeyRow): ApiKeyRecord {
  const record: ApiKeyRecord = {
    id: row.id,
    userId: row.user_id,
    role: row.role,
    tier: row.tier,
    permissions: JSON.parse(row.permissions) as string[],
    createdAt: new Date(row.created_at).toISOString(),
  };
  if (row.label !== null) record.label = row.label;
  if (row.team !== null) record.team = row.team;
  if (row.revoked_at !== null) record.revokedAt = new Date(row.revoked_at).toISOString();
  return record;
}

function toPrincipal(row: KeyRow): Principal {
  return {
    userId: row.user_id,
    role: row.role,
    tier: row.tier,
    ...(row.team === null ? {} : { team: row.team }),
    permissions: JSON.parse(row.permissions) as string[],
    keyId: row.id,
  };
}
