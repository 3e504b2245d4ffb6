/** The faults the simulated model can inject, each one a failure real providers show. */
export type SimulatedFault =
  /** The upstream answers with this HTTP status (and `Retry-After` when given) before any byte. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** The request is accepted and nothing is ever sent, not even headers. */
  | { kind: 'hang-before-first-byte' }
  /** `after` events are sent, then nothing more until the client gives up. */
  | { kind: 'hang-mid-stream'; after: number }
  /** `after` events are sent, then the connection closes with no finish. */
  | { kind: 'cut-mid-stream'; after: number }
  /** After `after` events, one event carries invalid JSON. */
  | { kind: 'malformed-chunk'; after: number }
  /**
   * After `after` events (lifecycle events included), the format's error event for `status`
   * ends the stream: 529 is an overloaded upstream, 429 a rate limit.
   */
  | { kind: 'in-band-error'; after: number; status: number }
  /** `intervalMs` between every event instead of the configured token rate. */
  | { kind: 'slow-drip'; intervalMs: number };

export type SimulatedFaultKind = SimulatedFault['kind'];

/** The loose fields a fault is written with, in config or in a directive, before checking. */
export interface FaultFields {
  kind?: string;
  status?: number;
  retryAfterSeconds?: number;
  after?: number;
  intervalMs?: number;
}

/**
 * A configured fault. It applies to requests whose last user message contains `match` (any
 * request when absent), with chance `probability` (default 1).
 */
export interface SimulatedFaultRule extends FaultFields {
  kind: SimulatedFaultKind;
  /** Chance in [0, 1] that a matching request gets the fault. Default 1. */
  probability?: number;
  /** A substring of the last user message that the rule requires. Default: any message. */
  match?: string;
}

/** A checked fault, or why the fields do not make one. */
export type FaultCheck = { ok: true; fault: SimulatedFault } | { ok: false; reason: string };

/** Defaults for omitted fields. `after` is 1 so that a mid-stream fault really is mid-stream. */
export const FAULT_DEFAULTS = {
  status: 500,
  inBandStatus: 529,
  after: 1,
  intervalMs: 100,
} as const;

const KIND_ALIASES: Readonly<Record<string, SimulatedFaultKind>> = {
  cut: 'cut-mid-stream',
  malformed: 'malformed-chunk',
  drip: 'slow-drip',
};

const FIELDS_OF_KIND: Readonly<Record<SimulatedFaultKind, readonly (keyof FaultFields)[]>> = {
  status: ['status', 'retryAfterSeconds'],
  'hang-before-first-byte': [],
  'hang-mid-stream': ['after'],
  'cut-mid-stream': ['after'],
  'malformed-chunk': ['after'],
  'in-band-error': ['after', 'status'],
  'slow-drip': ['intervalMs'],
};

type NumericField = Exclude<keyof FaultFields, 'kind'>;

const LIMITS: Readonly<Record<NumericField, [number, number]>> = {
  status: [400, 599],
  retryAfterSeconds: [0, 86_400],
  after: [0, 1_000_000],
  intervalMs: [0, 600_000],
};

/** Resolves a kind name or alias; undefined for an unknown kind. */
export function resolveFaultKind(name: string): SimulatedFaultKind | undefined {
  if (Object.hasOwn(FIELDS_OF_KIND, name)) return name as SimulatedFaultKind;
  return KIND_ALIASES[name];
}

/**
 * Checks loose fields and fills defaults. Fields that do not belong to the kind are refused.
 * `label` names a field in a refusal the way the caller wrote it (the grammar says `code`).
 */
export function checkFault(
  fields: FaultFields,
  label: (field: NumericField) => string = (field) => field,
): FaultCheck {
  const kind = fields.kind === undefined ? undefined : resolveFaultKind(fields.kind);
  if (kind === undefined) return { ok: false, reason: `unknown fault kind ${String(fields.kind)}` };
  const allowed = FIELDS_OF_KIND[kind];
  for (const field of Object.keys(LIMITS) as NumericField[]) {
    const value = fields[field];
    if (value === undefined) continue;
    if (!allowed.includes(field)) {
      return { ok: false, reason: `${label(field)} does not apply to ${kind}` };
    }
    const [min, max] = LIMITS[field];
    if (!Number.isInteger(value) || value < min || value > max) {
      return { ok: false, reason: `${label(field)} must be an integer from ${min} to ${max}` };
    }
  }
  return { ok: true, fault: withDefaults(kind, fields) };
}

function withDefaults(kind: SimulatedFaultKind, fields: FaultFields): SimulatedFault {
  switch (kind) {
    case 'status': {
      const status = fields.status ?? FAULT_DEFAULTS.status;
      const retry = fields.retryAfterSeconds;
      return retry === undefined ? { kind, status } : { kind, status, retryAfterSeconds: retry };
    }
    case 'hang-before-first-byte':
      return { kind };
    case 'slow-drip':
      return { kind, intervalMs: fields.intervalMs ?? FAULT_DEFAULTS.intervalMs };
    case 'in-band-error': {
      const after = fields.after ?? FAULT_DEFAULTS.after;
      return { kind, after, status: fields.status ?? FAULT_DEFAULTS.inBandStatus };
    }
    default:
      return { kind, after: fields.after ?? FAULT_DEFAULTS.after };
  }
}
