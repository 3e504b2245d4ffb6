import { createHash } from 'node:crypto';
import { RampartError } from '../core/index.js';

/**
 * The sha256 hex digest of the arguments' canonical JSON: object keys sorted by UTF-16 code unit
 * at every depth, array order kept, no whitespace. The same arguments in any key order give one
 * digest, so an audit entry can be matched to a call without storing the arguments. Values JSON
 * cannot hold (undefined, a function, a BigInt, a cycle) are refused.
 */
export function argumentsDigest(args: unknown): string {
  return createHash('sha256').update(canonicalJson(args), 'utf8').digest('hex');
}

/**
 * JSON text with sorted object keys. Written out by hand rather than by sorting a copy for
 * `JSON.stringify`: objects always list integer-like keys first, in numeric order, whatever
 * order they were added in. Lone surrogates come out escaped, as `JSON.stringify` does them.
 */
export function canonicalJson(value: unknown): string {
  const text = encode(value, '', new Set());
  if (text === undefined) throw notJson('undefined, a function or a symbol has no JSON form');
  return text;
}

function encode(input: unknown, key: string, ancestors: Set<object>): string | undefined {
  const value = unwrap(input, key);
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  // JSON has no NaN or Infinity; JSON.stringify writes them as null, and so does this.
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'bigint') throw notJson('a BigInt has no JSON form');
  if (typeof value !== 'object') return undefined;
  if (ancestors.has(value)) throw notJson('the value contains a cycle');

  ancestors.add(value);
  const text = Array.isArray(value)
    ? `[${value.map((item, index) => encode(item, String(index), ancestors) ?? 'null').join(',')}]`
    : encodeObject(value, ancestors);
  ancestors.delete(value);
  return text;
}

function encodeObject(value: object, ancestors: Set<object>): string {
  const members: string[] = [];
  for (const key of Object.keys(value).sort(byCodeUnit)) {
    const member = encode((value as Record<string, unknown>)[key], key, ancestors);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(',')}}`;
}

/** What JSON.stringify would see: the result of `toJSON`, and boxed primitives unboxed. */
function unwrap(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const toJson = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJson === 'function') return (toJson as (key: string) => unknown).call(value, key);
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    return value.valueOf();
  }
  return value;
}

function byCodeUnit(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

function notJson(reason: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', `Tool arguments are not JSON: ${reason}.`);
}
