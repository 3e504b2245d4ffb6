import { randomBytes } from 'node:crypto';
import { RampartError } from '../core/index.js';
import { requireText } from './text-rules.js';
import type { AuditEntryInput, AuditVerdict } from './types.js';

export const AUDIT_VERDICTS: readonly AuditVerdict[] = [
  'allowed',
  'denied',
  'confirmation-required',
  'approved',
  'rejected',
];

/** Tool names follow the providers' function-name rule of at most 64 characters. */
export const TOOL_MAX_LENGTH = 64;
/** Rule ids are short and stable, though a resolver's name may be part of one. */
export const RULE_MAX_LENGTH = 128;
/** User, key, role, session, request and call ids. */
export const IDENTITY_MAX_LENGTH = 1024;
/** A longer reason is cut to this many characters, the last being `…`. */
export const REASON_MAX_LENGTH = 1000;

const DIGEST = /^[0-9a-f]{64}$/;

/** A new entry id: `aud_` and 24 base64url characters (144 random bits). */
export function newAuditId(): string {
  return `aud_${randomBytes(18).toString('base64url')}`;
}

/**
 * Refuses an entry no backend could store and return exactly, with a clear 400, and returns the
 * one to store: the same fields, with the reason cut to its bound and no stray properties.
 */
export function checkAuditEntry(entry: AuditEntryInput): AuditEntryInput {
  if (typeof entry !== 'object' || entry === null) {
    throw invalid('An audit entry must be an object.', 'entry');
  }
  for (const field of ['userId', 'keyId', 'role', 'callId'] as const) {
    requireBoundedText(entry[field], field, IDENTITY_MAX_LENGTH);
  }
  for (const field of ['sessionId', 'requestId'] as const) {
    if (entry[field] !== undefined) requireBoundedText(entry[field], field, IDENTITY_MAX_LENGTH);
  }
  requireBoundedText(entry.tool, 'tool', TOOL_MAX_LENGTH);
  requireBoundedText(entry.rule, 'rule', RULE_MAX_LENGTH);
  requireDigest(entry.argumentsDigest);
  requireVerdict(entry.verdict, 'verdict');
  if (typeof entry.reason !== 'string') throw invalid('reason must be a string.', 'reason');
  return storedFields(entry);
}

function storedFields(entry: AuditEntryInput): AuditEntryInput {
  const stored: AuditEntryInput = {
    userId: entry.userId,
    keyId: entry.keyId,
    role: entry.role,
    tool: entry.tool,
    callId: entry.callId,
    argumentsDigest: entry.argumentsDigest,
    verdict: entry.verdict,
    rule: entry.rule,
    reason: cutReason(entry.reason),
  };
  if (entry.sessionId !== undefined) stored.sessionId = entry.sessionId;
  if (entry.requestId !== undefined) stored.requestId = entry.requestId;
  return stored;
}

/**
 * The reason within its bound. A reason may quote what a client sent, so it is never refused
 * for its content: it is stored as JSON text, which keeps NUL and lone surrogates exactly. The
 * cut never splits a surrogate pair, so it adds no lone surrogate of its own.
 */
export function cutReason(reason: string): string {
  if (reason.length <= REASON_MAX_LENGTH) return reason;
  let end = REASON_MAX_LENGTH - 1;
  const last = reason.charCodeAt(end - 1);
  const next = reason.charCodeAt(end);
  if (isHighSurrogate(last) && isLowSurrogate(next)) end -= 1;
  return `${reason.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function requireBoundedText(value: unknown, field: string, maxLength: number): void {
  requireText(value, field);
  if ((value as string).length <= maxLength) return;
  throw invalid(`${field} must be at most ${maxLength} characters.`, field);
}

function requireDigest(value: unknown): void {
  if (typeof value === 'string' && DIGEST.test(value)) return;
  throw invalid(
    'argumentsDigest must be 64 lower-case hex characters (a sha256).',
    'argumentsDigest',
  );
}

export function requireVerdict(value: unknown, field: string): asserts value is AuditVerdict {
  if (AUDIT_VERDICTS.includes(value as AuditVerdict)) return;
  throw invalid(`${field} must be one of ${AUDIT_VERDICTS.join(', ')}.`, field);
}

export function invalid(message: string, param: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', message, { param });
}
