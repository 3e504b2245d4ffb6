import { planFor, resolveFindings, scanCandidates, type LabelledFinding } from './scan.js';
import type { Finding, RedactionOptions } from './types.js';

/** The default replacement: `[REDACTED:<type>]`, or `[REDACTED:<label>]` for literals. */
export function defaultReplacement(finding: Finding, label: string): string {
  return `[REDACTED:${finding.type === 'classified' ? label : finding.type}]`;
}

/** Sensitive values in `text`: non-overlapping, sorted by start. */
export function findSensitive(text: string, options?: RedactionOptions): Finding[] {
  return findLabelled(text, options).map(({ start, end, type, rule }) => ({
    start,
    end,
    type,
    rule,
  }));
}

function findLabelled(text: string, options?: RedactionOptions): LabelledFinding[] {
  const plan = planFor(options);
  return resolveFindings(plan, text, scanCandidates(plan, text, 0));
}

/** How to write one stretch of text with its findings replaced. */
export interface ApplyInput {
  text: string;
  from: number;
  to: number;
  findings: readonly LabelledFinding[];
  /** Added to positions so findings passed to `replacement` are relative to the whole stream. */
  offset: number;
  replacement: (finding: Finding, label: string) => string;
  counts: Record<string, number>;
}

/** `text.slice(from, to)` with every finding replaced, counting each by label. */
export function applyFindings(input: ApplyInput): string {
  const { text, findings, offset, replacement, counts } = input;
  const parts: string[] = [];
  let at = input.from;
  for (const finding of findings) {
    parts.push(text.slice(at, finding.start));
    const { type, rule, label } = finding;
    const shifted = { start: finding.start + offset, end: finding.end + offset, type, rule };
    parts.push(replacement(shifted, label));
    counts[label] = (counts[label] ?? 0) + 1;
    at = finding.end;
  }
  parts.push(text.slice(at, input.to));
  return parts.join('');
}

/** `text` with every sensitive value replaced, and how many of each label were replaced. */
export function redactText(
  text: string,
  options?: RedactionOptions,
): { text: string; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const findings = findLabelled(text, options);
  const replacement = options?.replacement ?? defaultReplacement;
  const redacted = applyFindings({
    text,
    from: 0,
    to: text.length,
    findings,
    offset: 0,
    replacement,
    counts,
  });
  return { text: redacted, counts };
}
