import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyStore } from '../types.js';
import {
  requireCapability,
  type ContractCapabilities,
  type ContractHarness,
  type HarnessFactory,
} from './harness.js';

const KEY_FORMAT = /^rk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;
const alice = { userId: 'alice', role: 'user', tier: 'standard', permissions: ['tools:web'] };

/** The behaviour every KeyStore backend must show. */
export function describeKeyStoreContract(
  name: string,
  factory: HarnessFactory<KeyStore>,
  capabilities: ContractCapabilities = {},
): void {
  describe(`KeyStore contract: ${name}`, () => {
    let harness: ContractHarness<KeyStore>;
    let keys: KeyStore;

    beforeEach(async () => {
      harness = await factory();
      keys = harness.store;
    });
    afterEach(() => harness.close());

    it('creates a key that authenticates as its principal', async () => {
      const { key, record } = await keys.create({ ...alice, label: 'laptop' });

      expect(key).toMatch(KEY_FORMAT);
      expect(key.slice(3, 19)).toBe(record.id);
      expect(record).toEqual({
        id: record.id,
        userId: 'alice',
        role: 'user',
        tier: 'standard',
        permissions: ['tools:web'],
        label: 'laptop',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
      });
      expect(await keys.authenticate(key)).toEqual({
        userId: 'alice',
        role: 'user',
        tier: 'standard',
        permissions: ['tools:web'],
        keyId: record.id,
      });
    });

    it('keeps the team of a key and sets it on the principal', async () => {
      const { key, record } = await keys.create({ ...alice, team: 'research' });
      expect(record.team).toBe('research');
      expect(await keys.authenticate(key)).toMatchObject({ userId: 'alice', team: 'research' });
      expect((await keys.list('alice')).map((listed) => listed.team)).toEqual(['research']);
      const other = await keys.create(alice);
      expect(await keys.authenticate(other.key)).not.toHaveProperty('team');
    });

    it('refuses a team that is not plain text', async () => {
      for (const team of ['', 'a\u0000b', 'x'.repeat(10_000), '\uD800', 42 as unknown as string]) {
        await expect(keys.create({ ...alice, team })).rejects.toMatchObject({
          code: 'RAMPART_INVALID_REQUEST',
        });
      }
    });

    it('gives every key a different secret and id', async () => {
      const created = await Promise.all(Array.from({ length: 20 }, () => keys.create(alice)));
      expect(new Set(created.map((entry) => entry.key)).size).toBe(20);
      expect(new Set(created.map((entry) => entry.record.id)).size).toBe(20);
    });

    it('never returns the secret or its hash in listings', async () => {
      const { key } = await keys.create(alice);
      const listed = JSON.stringify(await keys.list());
      expect(listed).not.toContain(key.slice(20));
      expect(Object.keys((await keys.list())[0]!).sort()).toEqual(
        ['createdAt', 'id', 'permissions', 'role', 'tier', 'userId'].sort(),
      );
    });

    it('refuses malformed, altered and unknown keys', async () => {
      const { key } = await keys.create(alice);
      const lastChar = key.at(-1) === 'A' ? 'B' : 'A';
      const candidates = [
        '',
        'rk_',
        `Bearer ${key}`,
        `${key} `,
        key.toUpperCase(),
        key.slice(0, -1) + lastChar,
        key.slice(0, -1),
        `${key}x`,
        `rk_${'0'.repeat(16)}_${key.slice(20)}`,
        'x'.repeat(1_000_000),
        `rk_${key.slice(3, 19)}_${'😀'.repeat(43)}`,
      ];
      for (const candidate of candidates) {
        expect(await keys.authenticate(candidate)).toBeUndefined();
      }
      expect(await keys.authenticate(key)).toBeDefined();
    });

    it('refuses a revoked key and reports revocation once', async () => {
      const { key, record } = await keys.create(alice);

      expect(await keys.revoke(record.id)).toBe(true);
      expect(await keys.revoke(record.id)).toBe(false);
      expect(await keys.revoke('0123456789abcdef')).toBe(false);

      expect(await keys.authenticate(key)).toBeUndefined();
      const [listed] = await keys.list('alice');
      expect(listed?.revokedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    it('lists all keys oldest first, or one user’s', async () => {
      const first = await keys.create(alice);
      await harness.advanceTime(10);
      const second = await keys.create({ ...alice, userId: 'bob' });
      await harness.advanceTime(10);
      const third = await keys.create(alice);

      const ids = (records: { id: string }[]) => records.map((record) => record.id);
      expect(ids(await keys.list())).toEqual([first, second, third].map((c) => c.record.id));
      expect(ids(await keys.list('alice'))).toEqual([first.record.id, third.record.id]);
      expect(await keys.list('nobody')).toEqual([]);
    });

    it('stores unusual text exactly', async () => {
      const userId = 'ユーザー🦊\u0000\u202Eevil';
      const label = `${'long label '.repeat(10_000)}✓`;
      const permissions = ['*', 'tools:"quoted"', 'ünïcode', ''.padEnd(5, '\\')];

      const { key } = await keys.create({ ...alice, userId, label, permissions });

      expect(await keys.authenticate(key)).toMatchObject({ userId, permissions });
      expect((await keys.list(userId))[0]?.label).toBe(label);
    });

    it('refuses identity text that cannot be stored exactly', async () => {
      await expect(keys.create({ ...alice, userId: 'bad\uD800' })).rejects.toThrow(
        'userId is not well-formed Unicode.',
      );
      await expect(keys.create({ ...alice, userId: '' })).rejects.toThrow(
        'userId must be a non-empty string.',
      );
    });

    it.runIf(capabilities.durable === true)('keeps keys across a restart', async () => {
      const { key, record } = await keys.create(alice);
      const revoked = await keys.create(alice);
      await keys.revoke(revoked.record.id);

      keys = await requireCapability(harness.reopen, 'reopen')();

      expect(await keys.authenticate(key)).toMatchObject({ userId: 'alice', keyId: record.id });
      expect(await keys.authenticate(revoked.key)).toBeUndefined();
    });
  });
}
