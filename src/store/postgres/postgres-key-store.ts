import type { Pool, QueryResultRow } from 'pg';
import type { Principal } from '../../core/index.js';
import { apiKeyMatches, generateApiKey, parseApiKeyId } from '../api-key-format.js';
import { checkApiKeyInput, isStorableText } from '../text-rules.js';
import type { ApiKeyRecord, CreateApiKeyInput, CreatedApiKey, KeyStore } from '../types.js';
import { quoteSchemaName } from './connection.js';
import { storeFailure } from './store-failure.js';

interface KeyRow {
  id: string;
  hash: Buffer;
  user_id: Buffer;
  role: Buffer;
  tier: Buffer;
  permissions: string;
  label: Buffer | null;
  team: Buffer | null;
  created_at: Date;
  revoked_at: Date | null;
}

/** Key ids are 16 lower-case hex characters; nothing else can name a stored key. */
const KEY_ID = /^[0-9a-f]{16}$/;

const COLUMNS = 'id, hash, user_id, role, tier, permissions, label, team, created_at, revoked_at';

export interface PostgresKeyStoreOptions {
  /** The schema holding the migrated `api_keys` table. */
  schema: string;
  /** Milliseconds since the epoch, for creation and revocation times. Default `Date.now`. */
  clock?: () => number;
}

/**
 * API keys in PostgreSQL, stored only as SHA-256 hashes and found by their public id. Every
 * statement is a single parameterised query, so each operation is atomic on its own and safe
 * to run from many instances at once.
 */
export class PostgresKeyStore implements KeyStore {
  private readonly clock: () => number;
  private readonly sql;

  constructor(
    private readonly pool: Pool,
    options: PostgresKeyStoreOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.sql = statements(`${quoteSchemaName(options.schema)}.api_keys`);
  }

  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    checkApiKeyInput(input);
    for (;;) {
      const generated = generateApiKey();
      const createdAt = new Date(this.clock()).toISOString();
      const values = [generated.id, generated.hash, ...identityValues(input), createdAt];
      const inserted = await this.query(this.sql.insert, values);
      // A 64-bit id collision is astronomically rare; draw again rather than fail.
      if (inserted.rowCount !== 1) continue;
      return { key: generated.key, record: newRecord(input, generated.id, createdAt) };
    }
  }

  async authenticate(secret: string): Promise<Principal | undefined> {
    const id = parseApiKeyId(secret);
    if (id === undefined) return undefined;
    const { rows } = await this.query<KeyRow>(this.sql.byId, [id]);
    const row = rows[0];
    if (!row || row.revoked_at !== null || !apiKeyMatches(secret, row.hash)) return undefined;
    return toPrincipal(row);
  }

  async list(userId?: string): Promise<ApiKeyRecord[]> {
    if (userId === undefined) return (await this.query<KeyRow>(this.sql.all)).rows.map(toRecord);
    // The driver encodes a lone surrogate as U+FFFD, which could match another user's keys.
    if (typeof userId !== 'string' || !isStorableText(userId)) return [];
    const { rows } = await this.query<KeyRow>(this.sql.byUser, [encodeText(userId)]);
    return rows.map(toRecord);
  }

  async revoke(keyId: string): Promise<boolean> {
    if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) return false;
    const revokedAt = new Date(this.clock()).toISOString();
    return (await this.query(this.sql.revoke, [revokedAt, keyId])).rowCount === 1;
  }

  private async query<R extends QueryResultRow>(text: string, values: unknown[] = []) {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw storeFailure(error);
    }
  }
}

function statements(table: string) {
  const ordered = 'ORDER BY created_at, seq';
  return {
    insert: `INSERT INTO ${table}
      (id, hash, user_id, role, tier, permissions, label, team, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
    byId: `SELECT ${COLUMNS} FROM ${table} WHERE id = $1`,
    all: `SELECT ${COLUMNS} FROM ${table} ${ordered}`,
    byUser: `SELECT ${COLUMNS} FROM ${table} WHERE user_id = $1 ${ordered}`,
    revoke: `UPDATE ${table} SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`,
  };
}

/** user_id, role, tier, permissions, label and team, in the insert statement's order. */
function identityValues(input: CreateApiKeyInput): unknown[] {
  return [
    encodeText(input.userId),
    encodeText(input.role),
    encodeText(input.tier),
    JSON.stringify(input.permissions),
    input.label === undefined ? null : encodeText(input.label),
    input.team === undefined ? null : encodeText(input.team),
  ];
}

function newRecord(input: CreateApiKeyInput, id: string, createdAt: string): ApiKeyRecord {
  const record: ApiKeyRecord = {
    id,
    userId: input.userId,
    role: input.role,
    tier: input.tier,
    permissions: [...input.permissions],
    createdAt,
  };
  if (input.label !== undefined) record.label = input.label;
  if (input.team !== undefined) record.team = input.team;
  return record;
}

function toRecord(row: KeyRow): ApiKeyRecord {
  const record: ApiKeyRecord = {
    id: row.id,
    userId: decodeText(row.user_id),
    role: decodeText(row.role),
    tier: decodeText(row.tier),
    permissions: JSON.parse(row.permissions) as string[],
    createdAt: row.created_at.toISOString(),
  };
  if (row.label !== null) record.label = decodeText(row.label);
  if (row.team !== null) record.team = decodeText(row.team);
  if (row.revoked_at !== null) record.revokedAt = row.revoked_at.toISOString();
  return record;
}

function toPrincipal(row: KeyRow): Principal {
  return {
    userId: decodeText(row.user_id),
    role: decodeText(row.role),
    tier: decodeText(row.tier),
    ...(row.team === null ? {} : { team: decodeText(row.team) }),
    permissions: JSON.parse(row.permissions) as string[],
    keyId: row.id,
  };
}

/** Identity text as UTF-8 bytes; see the migration for why it is not stored as `text`. */
function encodeText(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

function decodeText(bytes: Buffer): string {
  return bytes.toString('utf8');
}
