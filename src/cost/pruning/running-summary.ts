import { createHash } from 'node:crypto';
import type { Message } from '../../core/conversation.js';
import type { Fact, FactKind } from './facts.js';

/** The session state entry that holds the running summary. */
export const SUMMARY_STATE_KEY = 'context.summary';

/**
 * The running summary of a session, kept in its state: what the summary model wrote, the facts
 * found by rule, and which history messages both cover. It only ever grows from where it ended.
 */
export interface RunningSummary {
  /** History messages `[0, covered)` are folded into it; the session's system prompt is not. */
  covered: number;
  /** Digest of the covered messages: a history that no longer starts with them is noticed. */
  digest: string;
  /** The summary model's prose; empty when no model wrote any yet. */
  text: string;
  facts: Fact[];
  /** Summary-model calls that extended it. */
  calls: number;
}

/** The digest of a run of messages, as the summary records it. */
export function historyDigest(messages: readonly Message[]): string {
  const hash = createHash('sha256');
  for (const message of messages) hash.update(JSON.stringify(message)).update('\n');
  return hash.digest('base64url');
}

type StoredFact = [kind: 'n' | 'd' | 'u', value: string, count: number, last: number];
const KINDS: Record<StoredFact[0], FactKind> = { n: 'name', d: 'date', u: 'number' };
const CODES: Record<FactKind, StoredFact[0]> = { name: 'n', date: 'd', number: 'u' };

/** The summary as stored: facts as short tuples, since a session may carry hundreds. */
export function storedSummary(summary: RunningSummary): Record<string, unknown> {
  const facts: StoredFact[] = summary.facts.map((f) => [CODES[f.kind], f.value, f.count, f.last]);
  const { covered, digest, text, calls } = summary;
  return { version: 1, covered, digest, text, calls, facts };
}

/**
 * The summary a session state holds, checked against the history the turn sees: undefined when
 * there is none, it is malformed, or the history no longer starts with what it covers.
 */
export function readSummary(
  value: unknown,
  history: readonly Message[],
): RunningSummary | undefined {
  const summary = parseSummary(value);
  if (!summary || summary.covered > history.length) return undefined;
  if (historyDigest(history.slice(0, summary.covered)) !== summary.digest) return undefined;
  return summary;
}

function parseSummary(value: unknown): RunningSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { version, covered, digest, text, calls, facts } = record;
  if (version !== 1 || !Number.isSafeInteger(covered) || (covered as number) < 0) return undefined;
  if (typeof digest !== 'string' || typeof text !== 'string' || !Array.isArray(facts))
    return undefined;
  const parsed = facts.flatMap((fact: unknown): Fact[] => {
    if (!Array.isArray(fact) || fact.length !== 4) return [];
    const [code, factValue, count, last] = fact as unknown[];
    const kind = KINDS[code as StoredFact[0]];
    if (!kind || typeof factValue !== 'string') return [];
    if (typeof count !== 'number' || typeof last !== 'number') return [];
    return [{ kind, value: factValue, count, last }];
  });
  const callCount = typeof calls === 'number' ? calls : 0;
  return { covered: covered as number, digest, text, facts: parsed, calls: callCount };
}
