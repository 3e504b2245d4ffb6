/**
 * `rampart guard eval pii`: scores the redactor against a Presidio-format span file (a JSON list
 * of `{ full_text, spans: [{ entity_type, start_position, end_position }] }`).
 *
 * Definitions:
 * - Structured types are CREDIT_CARD, US_SSN, IBAN_CODE, EMAIL_ADDRESS, PHONE_NUMBER and
 *   IP_ADDRESS, mapped to the redactor's card, ssn, iban, email, phone and ip.
 * - Span level (top-level precision/recall/f1/tp/fp/fn and `structured`): a predicted structured
 *   finding is a true positive when it overlaps a gold span of the matching type, else a false
 *   positive; a gold structured span no matching finding overlaps is a false negative.
 * - Record level (tn, fpr): a record with no gold structured span is a true negative when
 *   nothing of a structured type is redacted in it, else a false positive.
 * - `charsLeaked`: characters inside gold structured spans that no finding of any type covers;
 *   `charsTotal`: all characters inside gold structured spans.
 * - `perEntity`: span-level figures per gold entity type; `supported` says whether the redactor
 *   has a detector for it (unsupported types are listed with support only).
 * - Timing: one `findSensitive` call per record.
 */
import { RampartError } from '../../core/errors.js';
import { findSensitive, type Finding, type SensitiveType } from '../redact/index.js';
import { summarise, timed, type EvalSummary } from './summary.js';
import { readInput } from './read-rows.js';

const STRUCTURED: Record<string, SensitiveType> = {
  CREDIT_CARD: 'card',
  US_SSN: 'ssn',
  IBAN_CODE: 'iban',
  EMAIL_ADDRESS: 'email',
  PHONE_NUMBER: 'phone',
  IP_ADDRESS: 'ip',
};

/** Span-level figures for one entity type. */
export interface EntityScore {
  precision: number;
  recall: number;
  support: number;
  supported: boolean;
}

/** Span-level figures over all structured types together. */
export interface SpanScore {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/** The PII evaluation's summary; see the file header for the definitions. */
export interface PiiEvalSummary extends EvalSummary {
  perEntity: Record<string, EntityScore>;
  structured: SpanScore;
  charsLeaked: number;
  charsTotal: number;
}

interface GoldSpan {
  entity: string;
  start: number;
  end: number;
}

interface PiiRecord {
  text: string;
  spans: GoldSpan[];
}

function toRecord(value: unknown, at: number): PiiRecord {
  const row = value as { full_text?: unknown; spans?: unknown };
  if (typeof row?.full_text !== 'string' || !Array.isArray(row.spans)) {
    throw new RampartError(
      'RAMPART_INVALID_REQUEST',
      `record ${at + 1}: needs full_text and spans`,
    );
  }
  const text = row.full_text;
  const spans = (row.spans as unknown[]).map((value, index) => {
    const span = (value ?? {}) as Record<string, unknown>;
    const start = span.start_position;
    const end = span.end_position;
    // Spans outside the text, or reversed, would count characters that are not there.
    const inside =
      Number.isInteger(start) &&
      Number.isInteger(end) &&
      (start as number) >= 0 &&
      (start as number) < (end as number) &&
      (end as number) <= text.length;
    if (typeof span.entity_type !== 'string' || !inside) {
      throw new RampartError(
        'RAMPART_INVALID_REQUEST',
        `record ${at + 1}, span ${index + 1}: needs entity_type and 0 <= start_position < end_position <= the text's length`,
      );
    }
    return { entity: span.entity_type, start: start as number, end: end as number };
  });
  return { text, spans };
}

async function readRecords(path: string): Promise<PiiRecord[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readInput(path));
  } catch (error) {
    if (error instanceof RampartError) throw error;
    throw new RampartError('RAMPART_INVALID_REQUEST', `${path}: not valid JSON`);
  }
  if (!Array.isArray(parsed))
    throw new RampartError('RAMPART_INVALID_REQUEST', `${path}: not a JSON list`);
  if (parsed.length === 0)
    throw new RampartError('RAMPART_INVALID_REQUEST', `${path}: has no records`);
  return parsed.map(toRecord);
}

/**
 * Counts of one span-level comparison: `tp` and `fp` count predicted spans, `found` and `fn`
 * count gold spans (so recall stays right when two findings cover one gold span).
 */
interface SpanTally {
  tp: number;
  fp: number;
  fn: number;
  found: number;
}

/** A gold span with the redactor type it should be found as. */
interface TypedSpan {
  entity: string;
  type: SensitiveType | undefined;
  start: number;
  end: number;
}

function overlaps(
  left: { start: number; end: number },
  right: { start: number; end: number },
): boolean {
  return left.start < right.end && right.start < left.end;
}

/** Adds one record's span-level outcome per entity (keyed by gold entity or predicted type). */
function tallySpans(
  gold: readonly TypedSpan[],
  predicted: readonly Finding[],
  into: Map<string, SpanTally>,
): void {
  const entityOf = new Map<SensitiveType, string>();
  for (const span of gold) if (span.type !== undefined) entityOf.set(span.type, span.entity);
  for (const span of gold) {
    const tally = tallyFor(into, span.entity);
    const found = predicted.some(
      (finding) => finding.type === span.type && overlaps(finding, span),
    );
    if (span.type === undefined) continue;
    if (found) tally.found++;
    else tally.fn++;
  }
  for (const finding of predicted) {
    const match = gold.find((span) => span.type === finding.type && overlaps(finding, span));
    const key = match?.entity ?? entityOf.get(finding.type) ?? entityForType(finding.type);
    if (match === undefined) tallyFor(into, key).fp++;
    else tallyFor(into, key).tp++;
  }
}

const ENTITY_FOR_TYPE: Partial<Record<SensitiveType, string>> = {
  card: 'CREDIT_CARD',
  ssn: 'US_SSN',
  iban: 'IBAN_CODE',
  email: 'EMAIL_ADDRESS',
  phone: 'PHONE_NUMBER',
  ip: 'IP_ADDRESS',
};

function entityForType(type: SensitiveType): string {
  return ENTITY_FOR_TYPE[type] ?? type.toUpperCase();
}

function tallyFor(map: Map<string, SpanTally>, key: string): SpanTally {
  let tally = map.get(key);
  if (tally === undefined) {
    tally = { tp: 0, fp: 0, fn: 0, found: 0 };
    map.set(key, tally);
  }
  return tally;
}

/** Characters of `spans` not covered by any finding. */
function uncoveredCharacters(spans: readonly TypedSpan[], findings: readonly Finding[]): number {
  let uncovered = 0;
  for (const span of spans) {
    for (let index = span.start; index < span.end; index++) {
      if (!findings.some((finding) => finding.start <= index && index < finding.end)) uncovered++;
    }
  }
  return uncovered;
}

function typed(record: PiiRecord): TypedSpan[] {
  return record.spans.map((span) => ({ ...span, type: STRUCTURED[span.entity] }));
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

function entityScore(tally: SpanTally, support: number, supported: boolean): EntityScore {
  const precision = ratio(tally.tp, tally.tp + tally.fp);
  return { precision, recall: ratio(tally.found, support), support, supported };
}

function combine(tallies: Iterable<SpanTally>): SpanTally {
  const total = { tp: 0, fp: 0, fn: 0, found: 0 };
  for (const tally of tallies) {
    total.tp += tally.tp;
    total.fp += tally.fp;
    total.fn += tally.fn;
    total.found += tally.found;
  }
  return total;
}

/** Scores `findSensitive` on a Presidio-format file; see the file header for definitions. */
export async function evalPii(path: string): Promise<PiiEvalSummary> {
  const records = await readRecords(path);
  const tallies = new Map<string, SpanTally>();
  const support = new Map<string, number>();
  const timings: number[] = [];
  let tn = 0;
  let recordFp = 0;
  let charsLeaked = 0;
  let charsTotal = 0;
  for (const record of records) {
    const { value: findings, micros } = timed(() => findSensitive(record.text));
    timings.push(micros);
    const spans = typed(record);
    const gold = spans.filter((span) => span.type !== undefined);
    const structured = findings.filter((finding) =>
      Object.values(STRUCTURED).includes(finding.type),
    );
    for (const span of spans) support.set(span.entity, (support.get(span.entity) ?? 0) + 1);
    tallySpans(spans, structured, tallies);
    charsLeaked += uncoveredCharacters(gold, findings);
    charsTotal += gold.reduce((sum, span) => sum + span.end - span.start, 0);
    if (gold.length === 0 && structured.length === 0) tn++;
    if (gold.length === 0 && structured.length > 0) recordFp++;
  }
  return summarisePii({ tallies, support, timings, tn, recordFp, charsLeaked, charsTotal });
}

interface PiiTotals {
  tallies: Map<string, SpanTally>;
  support: Map<string, number>;
  timings: number[];
  tn: number;
  recordFp: number;
  charsLeaked: number;
  charsTotal: number;
}

function summarisePii(totals: PiiTotals): PiiEvalSummary {
  const structuredTallies = [...totals.tallies].filter(([entity]) => entity in STRUCTURED);
  const all = combine(structuredTallies.map(([, tally]) => tally));
  const precision = ratio(all.tp, all.tp + all.fp);
  const recall = ratio(all.found, all.found + all.fn);
  const f1 = ratio(2 * precision * recall, precision + recall);
  const perEntity: Record<string, EntityScore> = {};
  const entities = new Set([...totals.support.keys(), ...totals.tallies.keys()]);
  for (const entity of [...entities].sort()) {
    const tally = totals.tallies.get(entity) ?? { tp: 0, fp: 0, fn: 0, found: 0 };
    perEntity[entity] = entityScore(tally, totals.support.get(entity) ?? 0, entity in STRUCTURED);
  }
  const timing = summarise({ tp: 0, fp: totals.recordFp, tn: totals.tn, fn: 0 }, totals.timings);
  return {
    ...timing,
    precision,
    recall,
    f1,
    tp: all.tp,
    fp: all.fp,
    fn: all.fn,
    perEntity,
    structured: { precision, recall, f1, tp: all.tp, fp: all.fp, fn: all.fn },
    charsLeaked: totals.charsLeaked,
    charsTotal: totals.charsTotal,
  };
}
