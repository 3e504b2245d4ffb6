import { checkFault, type FaultCheck, type FaultFields } from './fault.js';

/**
 * The fault grammar, shared by the in-message directive and the simulator's `x-sim-fault` header:
 *
 * ```
 * directive = "[[sim-fault" 1*(SP param) *SP "]]"
 * header    = directive / param *(1*SP param)
 * param     = key "=" value
 * key       = "kind" / "code" / "retry-after" / "after" / "interval"
 * value     = 1*(ALPHA / DIGIT / "-")        ; numbers are whole, in decimal
 * ```
 *
 * `kind` is required: `status`, `hang-before-first-byte`, `hang-mid-stream`, `cut-mid-stream`
 * (alias `cut`), `malformed-chunk` (alias `malformed`), `in-band-error`, `slow-drip` (alias
 * `drip`). `code` (status, default 500) and `retry-after` (seconds) go with `status`; `after`
 * (events sent before the fault, default 1) with the mid-stream kinds; `code` also goes with
 * `in-band-error`, naming the error it stands for (default 529, overloaded); `interval`
 * (milliseconds between events, default 100) with `slow-drip`. Keys and values are
 * case-insensitive. A key given twice, an unknown key, or a key that does not belong to the kind
 * makes the whole spec invalid. In configured rules the same fields are `status`,
 * `retryAfterSeconds`, `after` and `intervalMs`. Examples:
 * `[[sim-fault kind=status code=429 retry-after=2]]`, `kind=cut after=3`.
 */
export const FAULT_DIRECTIVE_PREFIX = '[[sim-fault';

const DIRECTIVE = /\[\[sim-fault(?=[\s\]])[^\]]{0,300}\]\]/gi;
const PARAM = /^([a-z-]{1,20})=([a-z0-9-]{1,40})$/;
const MAX_SPEC_LENGTH = 400;

const NUMERIC_KEYS: Readonly<Record<string, keyof FaultFields>> = {
  code: 'status',
  'retry-after': 'retryAfterSeconds',
  after: 'after',
  interval: 'intervalMs',
};

/** Parses a header value or one directive. Never throws; a bad spec gives `{ok: false}`. */
export function parseFaultSpec(spec: string): FaultCheck {
  let body = spec.trim().toLowerCase();
  if (body.length > MAX_SPEC_LENGTH) return { ok: false, reason: 'fault spec is too long' };
  if (body.startsWith(FAULT_DIRECTIVE_PREFIX)) {
    if (!body.endsWith(']]')) return { ok: false, reason: 'directive is not closed with ]]' };
    body = body.slice(FAULT_DIRECTIVE_PREFIX.length, -2).trim();
  }
  const fields = readParams(body);
  return typeof fields === 'string' ? { ok: false, reason: fields } : checkFault(fields, keyOf);
}

function readParams(body: string): FaultFields | string {
  const fields: FaultFields = {};
  const seen = new Set<string>();
  for (const param of body.split(/\s+/)) {
    const match = PARAM.exec(param);
    if (!match) return `malformed parameter ${JSON.stringify(param.slice(0, 40))}`;
    const [, key = '', value = ''] = match;
    if (seen.has(key)) return `parameter ${key} is given twice`;
    seen.add(key);
    if (key === 'kind') {
      fields.kind = value;
      continue;
    }
    const field = NUMERIC_KEYS[key];
    if (field === undefined) return `unknown parameter ${key}`;
    if (!/^\d+$/.test(value)) return `${key} must be a whole number`;
    (fields as Record<string, number>)[field] = Number(value);
  }
  return fields;
}

/** The grammar's key for a field, for refusals. */
function keyOf(field: string): string {
  return Object.keys(NUMERIC_KEYS).find((key) => NUMERIC_KEYS[key] === field) ?? field;
}

/** The first valid directive in a message; invalid directives are skipped. */
export function findFaultDirective(text: string): FaultCheck | undefined {
  if (!text.includes('[[')) return undefined;
  for (const match of text.matchAll(DIRECTIVE)) {
    const parsed = parseFaultSpec(match[0]);
    if (parsed.ok) return parsed;
  }
  return undefined;
}

/** The message with every directive (valid or not) removed, so answers never quote one. */
export function stripFaultDirectives(text: string): string {
  if (!text.includes('[[')) return text;
  return text
    .replace(DIRECTIVE, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
