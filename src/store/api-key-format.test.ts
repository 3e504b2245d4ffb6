import { describe, expect, it } from 'vitest';
import { apiKeyMatches, generateApiKey, hashApiKey, parseApiKeyId } from './api-key-format.js';
import { newLeaseToken, newSessionId } from './random-ids.js';

describe('API key format', () => {
  it('generates rk_<16 hex>_<43 base64url> with the id embedded and a SHA-256 hash', () => {
    const { id, key, hash } = generateApiKey();

    expect(key).toMatch(/^rk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKeyId(key)).toBe(id);
    expect(hash.toString('hex')).toBe(hashApiKey(key).toString('hex'));
    expect(hash).toHaveLength(32);
  });

  it('parses only well-formed keys', () => {
    const { key } = generateApiKey();
    for (const bad of [`${key}=`, key.replace('rk_', 'sk_'), key.slice(1), 'rk_x_y', '']) {
      expect(parseApiKeyId(bad)).toBeUndefined();
    }
    expect(parseApiKeyId(42 as unknown as string)).toBeUndefined();
  });

  it('matches a key only against its own hash', () => {
    const first = generateApiKey();
    const second = generateApiKey();

    expect(apiKeyMatches(first.key, first.hash)).toBe(true);
    expect(apiKeyMatches(second.key, first.hash)).toBe(false);
    expect(apiKeyMatches(first.key, first.hash.subarray(0, 16))).toBe(false);
  });
});

describe('random ids', () => {
  it('makes unguessable session ids and lease tokens', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId));

    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^sess_[A-Za-z0-9_-]{24}$/);
    expect(newLeaseToken()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
