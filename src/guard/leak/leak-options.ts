/** The outcome of a leak check. */
export interface LeakVerdict {
  /** Whether the output discloses the system prompt. */
  leaked: boolean;
  /** What gave it away: the canary, or overlap with the prompt; `undefined` when not leaked. */
  reason: 'canary' | 'overlap' | undefined;
  /**
   * 0..1 overlap: the largest of the share of the prompt's word triples found in the output,
   * the number found over 75, and the longest streak of matching words over 45 (so about a
   * paragraph of a long prompt scores 0.3). When a leak is found, the score is the one at the
   * moment of the cut, not over the whole answer.
   */
  score: number;
}

/** Tuning of a leak check. */
export interface LeakOptions {
  /** The prompt's canary (from `createCanary`); without one only overlap is checked. */
  canary?: string;
  /** Overlap score at or above which the output is a leak. Default 0.3. */
  threshold?: number;
  /**
   * Prompts with fewer words than this are checked by canary only: a very short prompt is
   * mostly common phrases that ordinary answers repeat. Default 12.
   */
  minSystemWords?: number;
  /**
   * Most characters the streaming monitor holds back for an open run of matches; past this the
   * oldest held text is released. Default 2048.
   */
  maxHoldChars?: number;
}

/** Options with every default filled in. */
export interface ResolvedLeakOptions {
  canary: string | undefined;
  threshold: number;
  minSystemWords: number;
  maxHoldChars: number;
}

/** Fills in defaults; out-of-range numbers fall back to the defaults rather than disabling. */
export function resolveLeakOptions(options: LeakOptions = {}): ResolvedLeakOptions {
  return {
    canary: options.canary === '' ? undefined : options.canary,
    threshold: inRange(options.threshold, 0.3, 0.01, 1),
    minSystemWords: inRange(options.minSystemWords, 12, 0, Number.MAX_SAFE_INTEGER),
    maxHoldChars: inRange(options.maxHoldChars, 2048, 0, Number.MAX_SAFE_INTEGER),
  };
}

function inRange(value: number | undefined, fallback: number, low: number, high: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(high, Math.max(low, value));
}
