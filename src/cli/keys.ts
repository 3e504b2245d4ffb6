import { loadConfig } from '../config/index.js';
import { openKeyStore } from '../app/backends.js';
import { createLogger } from '../core/logger.js';
import { parseFlags, UsageError } from './args.js';

export const KEYS_HELP = `rampart keys — manage API keys (stored hashed; a key is shown once)

  rampart keys create --user ID [--role R] [--tier T] [--permission P]... [--label L]
                     [--team T]
      role defaults to "user", tier to "standard"; team (for team budgets) to none
  rampart keys list [--user ID]
      one key a line, tab-separated: KEY_ID USER ROLE TIER STATE TEAM PERMISSIONS LABEL
      (permissions comma-separated; "-" for none; the column names go to stderr, so a pipe
      reads keys only)
  rampart keys revoke KEY_ID

  --data-dir DIR / --config FILE select the store, as for "rampart serve"`;

const storeFlags = { 'data-dir': { type: 'string' }, config: { type: 'string' } } as const;

function openStore(values: { 'data-dir'?: string; config?: string }) {
  const config = loadConfig({
    ...(values.config === undefined ? {} : { file: values.config }),
    env: process.env,
    overrides: values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] },
  });
  return openKeyStore(config, process.env, createLogger({ level: 'warn' }));
}

async function create(argv: string[]) {
  const { values } = parseFlags(argv, {
    ...storeFlags,
    user: { type: 'string' },
    role: { type: 'string', default: 'user' },
    tier: { type: 'string', default: 'standard' },
    permission: { type: 'string', multiple: true, default: [] },
    label: { type: 'string' },
    team: { type: 'string' },
  });
  if (!values.user) throw new UsageError('keys create needs --user ID');
  const store = await openStore(values);
  try {
    const { key, record } = await store.keys.create({
      userId: values.user,
      role: values.role,
      tier: values.tier,
      permissions: values.permission,
      ...(values.label === undefined ? {} : { label: values.label }),
      ...(values.team === undefined ? {} : { team: values.team }),
    });
    console.log(key);
    console.error(
      `created key ${record.id} for user ${record.userId} (role ${record.role}, tier ${record.tier}); it is not shown again`,
    );
  } finally {
    await store.close();
  }
}

const LIST_COLUMNS = 'KEY_ID\tUSER\tROLE\tTIER\tSTATE\tTEAM\tPERMISSIONS\tLABEL';

/** A value as one column: a label is free text, and a tab or line break in it would split the row. */
function column(value: string | undefined): string {
  return value === undefined || value === '' ? '-' : value.replace(/[\t\r\n]+/g, ' ');
}

async function list(argv: string[]) {
  const { values } = parseFlags(argv, { ...storeFlags, user: { type: 'string' } });
  const store = await openStore(values);
  try {
    // Stderr, as `create`'s notice: `cut -f1` and the like read rows only.
    console.error(LIST_COLUMNS);
    for (const record of await store.keys.list(values.user)) {
      const state = record.revokedAt ? 'revoked' : 'active';
      const fields = [record.id, record.userId, record.role, record.tier, state];
      fields.push(column(record.team), column(record.permissions.join(',')), column(record.label));
      console.log(fields.join('\t'));
    }
  } finally {
    await store.close();
  }
}

async function revoke(argv: string[]) {
  const { values, positionals } = parseFlags(argv, storeFlags);
  const keyId = positionals[0];
  if (!keyId) throw new UsageError('keys revoke needs a KEY_ID');
  const store = await openStore(values);
  try {
    if (!(await store.keys.revoke(keyId))) throw new UsageError(`no active key with id ${keyId}`);
    console.error(`revoked ${keyId}`);
  } finally {
    await store.close();
  }
}

/** `rampart keys create|list|revoke`. */
export async function keys(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action === 'create') return create(rest);
  if (action === 'list') return list(rest);
  if (action === 'revoke') return revoke(rest);
  throw new UsageError(`unknown keys action "${action ?? ''}"\n\n${KEYS_HELP}`);
}
