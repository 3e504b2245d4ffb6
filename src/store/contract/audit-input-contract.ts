import { describe, expect, it } from 'vitest';
import { isRampartError } from '../../core/index.js';
import type { AuditEntryInput, AuditLog, AuditQuery } from '../types.js';
import { bareDecision, decision, DIGEST, rejection } from './audit-fixtures.js';
import { hostileMessages } from './hostile-messages.js';

/** Every text part of the hostile messages: NUL, lone surrogates, emoji, RTL, 2 MiB. */
function hostileTexts(): string[] {
  return hostileMessages().flatMap((message) => {
    if (typeof message.content === 'string') return [message.content];
    return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
  });
}

async function expectInvalid(promise: Promise<unknown>, message: string | RegExp): Promise<void> {
  const error = await rejection(promise);
  expect(isRampartError(error, 'RAMPART_INVALID_REQUEST')).toBe(true);
  expect((error as Error).message).toMatch(message);
}

/** Validation and unusual text, run inside the AuditLog contract with each test's log. */
export function describeAuditInputContract(current: () => AuditLog): void {
  describe('input', () => {
    it('stores unusual identity text exactly and finds it by exact match only', async () => {
      const odd = {
        userId: 'ユーザー🦊\u0000\u202Eevil',
        role: "admin'; DROP TABLE audit_entries; --",
        tool: '🦊_tool\u0000"quoted"',
        sessionId: 'sess\u0000\uFEFF\u200B',
        requestId: '\\u0000 not a NUL',
        callId: 'call_👩‍👩‍👧',
        rule: 'resolver:ünïcode',
      };

      const appended = await current().append(decision(odd));

      expect(appended).toMatchObject(odd);
      expect(await current().list({ userId: odd.userId })).toEqual([appended]);
      expect(await current().list({ tool: odd.tool })).toEqual([appended]);
      expect(await current().list({ sessionId: odd.sessionId })).toEqual([appended]);
      expect(await current().list({ userId: 'ユーザー🦊' })).toEqual([]);
      expect(await current().list({ sessionId: 'sess' })).toEqual([]);
    });

    it('keeps a reason with NUL, lone surrogates and emoji exactly', async () => {
      for (const text of hostileTexts()) {
        const reason = text.slice(0, 1000);
        const appended = await current().append(decision({ reason }));
        expect(appended.reason).toBe(reason);
      }
      const listed = await current().list({ limit: 1000 });
      expect(listed.map((entry) => entry.reason).reverse()).toEqual(
        hostileTexts().map((text) => text.slice(0, 1000)),
      );
    });

    it('cuts a long reason to 1000 characters without splitting a pair', async () => {
      const long = await current().append(decision({ reason: 'x'.repeat(1500) }));
      expect(long.reason).toBe(`${'x'.repeat(999)}…`);

      const fox = await current().append(decision({ reason: `${'x'.repeat(998)}🦊 and more` }));
      expect(fox.reason).toBe(`${'x'.repeat(998)}…`);

      const exact = 'y'.repeat(1000);
      expect((await current().append(decision({ reason: exact }))).reason).toBe(exact);
      const listed = await current().list({ limit: 3 });
      expect(listed.map((entry) => entry.reason)).toEqual([exact, fox.reason, long.reason]);
    });

    it('refuses identity text that cannot be stored exactly or is out of bounds', async () => {
      const refusals: [Partial<AuditEntryInput>, string | RegExp][] = [
        [{ userId: 'bad\uD800' }, 'userId is not well-formed Unicode.'],
        [{ userId: '' }, 'userId must be a non-empty string.'],
        [{ keyId: '' }, 'keyId must be a non-empty string.'],
        [{ callId: '\uDFFF' }, 'callId is not well-formed Unicode.'],
        [{ sessionId: '' }, 'sessionId must be a non-empty string.'],
        [{ tool: 't'.repeat(65) }, 'tool must be at most 64 characters.'],
        [{ rule: 'r'.repeat(129) }, 'rule must be at most 128 characters.'],
        [{ userId: 'u'.repeat(1025) }, 'userId must be at most 1024 characters.'],
        [{ argumentsDigest: DIGEST.toUpperCase() }, /^argumentsDigest must be 64 lower-case hex/],
        [{ argumentsDigest: DIGEST.slice(1) }, /^argumentsDigest must be/],
        [{ argumentsDigest: `${DIGEST.slice(1)}g` }, /^argumentsDigest must be/],
        [{ verdict: 'maybe' as 'allowed' }, /^verdict must be one of allowed, denied, /],
        [{ reason: 42 as unknown as string }, 'reason must be a string.'],
      ];
      for (const [overrides, message] of refusals) {
        await expectInvalid(current().append(decision(overrides)), message);
      }
      await expectInvalid(
        current().append(null as unknown as AuditEntryInput),
        /must be an object/,
      );
      expect(await current().list()).toEqual([]);
    });

    it('accepts the bounds themselves', async () => {
      const atBounds = bareDecision({ tool: 't'.repeat(64), rule: 'r'.repeat(128) });
      await expect(current().append(atBounds)).resolves.toMatchObject(atBounds);
    });

    it('refuses malformed queries', async () => {
      const refusals: [AuditQuery, RegExp][] = [
        [{ limit: 0 }, /^limit must be a positive integer/],
        [{ limit: -5 }, /^limit must be a positive integer/],
        [{ limit: 1.5 }, /^limit must be a positive integer/],
        [{ limit: Number.NaN }, /^limit must be a positive integer/],
        [{ limit: '10' as unknown as number }, /^limit must be a positive integer/],
        [{ before: 0 }, /^before must be a positive integer/],
        [{ before: 2.5 }, /^before must be a positive integer/],
        [{ since: 'yesterday' }, /^since must be an ISO 8601 time/],
        [{ since: '2026-01-01T00:00:00' }, /^since must be an ISO 8601 time/],
        [{ since: '' }, /^since must be an ISO 8601 time/],
        [{ verdict: 'maybe' as 'allowed' }, /^verdict must be one of/],
        [{ userId: 7 as unknown as string }, /^userId must be a string/],
      ];
      for (const [query, message] of refusals) {
        await expectInvalid(current().list(query), message);
      }
    });

    it('matches nothing for filter text no entry can hold', async () => {
      await current().append(decision({ userId: '\uFFFD', tool: '\uFFFD' }));

      expect(await current().list({ userId: '\uD800' })).toEqual([]);
      expect(await current().list({ tool: '\uDFFF' })).toEqual([]);
      expect(await current().list({ userId: '' })).toEqual([]);
      expect(await current().list({ userId: '\uFFFD' })).toHaveLength(1);
    });
  });
}
