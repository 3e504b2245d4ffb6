import type { TextProfile } from './profile.js';

/** The kinds of value the redactor recognises. `classified` is for caller-supplied literals. */
export type SensitiveType =
  'card' | 'ssn' | 'iban' | 'email' | 'phone' | 'ip' | 'secret' | 'classified';

/** One sensitive value found in a text: `text.slice(start, end)`. */
export interface Finding {
  start: number;
  end: number;
  type: SensitiveType;
  /** The rule that matched, for example `luhn-card` or `aws-access-key`. */
  rule: string;
}

/** A value the caller wants redacted wherever it appears, counted under `label`. */
export interface LiteralValue {
  value: string;
  label: string;
}

/** What to look for and how to replace it. */
export interface RedactionOptions {
  /** Types to detect; default all pattern types. */
  types?: readonly SensitiveType[];
  /** Exact values to redact even though no pattern matches, with the label to count them under. */
  literals?: readonly LiteralValue[];
  /** Exact values never redacted (the principal's own email, say), compared after trimming. */
  exempt?: readonly string[];
  /** Replacement text for a finding; default `[REDACTED:<type>]` (for literals `[REDACTED:<label>]`). */
  replacement?: (finding: Finding, label: string) => string;
}

/**
 * A raw regex match before validation. Its whole span (`start`..`end`) decides where a stream
 * may be cut; the finding it yields may be a narrower part (`valueStart`..`valueEnd`).
 */
export interface Candidate {
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
  type: SensitiveType;
  rule: string;
  label: string;
  /** False when the shape matched but a checksum or context test failed. */
  valid: boolean;
  /** Characters after `end` the decision looked at; a stream holds the match until they exist. */
  after: number;
  /** Still open at the end of the text (a private key block without its END line). */
  open?: boolean;
}

/** Everything a detector sees: the text, where to start, and whether more text can follow. */
export interface ScanInput {
  text: string;
  /** Matches start at or after this index; earlier text is context only. */
  from: number;
  /** Starts of credential-key gates near `from` (see `key-patterns.ts`), when already known. */
  gates?: readonly number[];
}

/** A pattern family: finds raw candidates of one or more rules. */
export interface Detector {
  /** Types this detector can report; skipped when none of them is enabled. */
  types: readonly SensitiveType[];
  /** Cheap necessary condition on the text a match may lie in; false skips the scan. */
  mayMatch: (profile: TextProfile) => boolean;
  scan: (input: ScanInput) => Candidate[];
}
