import { RampartError, type ErrorCode } from '../../core/index.js';
import { asRecord } from './wire-values.js';

const MAX_MESSAGE_LENGTH = 500;

/**
 * The error for an in-band `{"error": {...}}` payload, which OpenAI and compatible servers send
 * inside a 200 stream or body. Its `type` or `code` decides the kind: a rate limit, an overloaded
 * or unavailable server, or any other upstream error.
 */
export function errorFromPayload(payload: unknown): RampartError {
  const error = asRecord(payload)?.error;
  const record = asRecord(error);
  const message = typeof error === 'string' ? error : stringOf(record?.message);
  const labels = [record?.type, record?.code, record?.status].map(stringOf).join(' ').toLowerCase();
  const options = message === '' ? {} : { upstreamText: bound(message) };
  // The provider's words are kept apart: they may echo the request (see `upstreamText`).
  return new RampartError(codeForLabels(labels), 'Upstream error', options);
}

function codeForLabels(labels: string): ErrorCode {
  if (/rate.?limit|too.?many|\b429\b/.test(labels)) return 'RAMPART_UPSTREAM_RATE_LIMITED';
  if (/overload|server.?error|unavailable|\b5\d\d\b/.test(labels)) {
    return 'RAMPART_UPSTREAM_UNAVAILABLE';
  }
  return 'RAMPART_UPSTREAM_ERROR';
}

function stringOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : '';
}

function bound(text: string): string {
  return text.length <= MAX_MESSAGE_LENGTH ? text : `${text.slice(0, MAX_MESSAGE_LENGTH)}…`;
}
