import { scanLiterals } from './literal-detector.js';
import { gateStarts, KEY_GATE_MAX, KEYWORD_REACH } from './key-patterns.js';
import { profileOf, type TextProfile } from './profile.js';
import { anyDefaultDetectorMayMatch } from './may-match.js';
import { phoneDetector } from './phone-detector.js';
import {
  cardDetector,
  emailDetector,
  ibanDetector,
  ipDetector,
  ssnDetector,
} from './pii-detectors.js';
import { privateKeyDetector } from './private-key-detector.js';
import { assignmentDetector, structuredSecretDetector, tokenDetector } from './secret-detectors.js';
import type {
  Candidate,
  Detector,
  Finding,
  LiteralValue,
  RedactionOptions,
  SensitiveType,
} from './types.js';

const DETECTORS: readonly Detector[] = [
  privateKeyDetector,
  tokenDetector,
  structuredSecretDetector,
  assignmentDetector,
  cardDetector,
  ibanDetector,
  ssnDetector,
  emailDetector,
  ipDetector,
  phoneDetector,
];

/** The pattern types detected when the options name none. */
export const PATTERN_TYPES: readonly SensitiveType[] = [
  'card',
  'ssn',
  'iban',
  'email',
  'phone',
  'ip',
  'secret',
];

// When two findings of the same length overlap, the more specific kind wins.
const PRIORITY: Record<SensitiveType, number> = {
  classified: 0,
  secret: 1,
  card: 2,
  iban: 3,
  ssn: 4,
  email: 5,
  ip: 6,
  phone: 7,
};

/** A finding with the label it is counted and replaced under. */
export interface LabelledFinding extends Finding {
  label: string;
}

/** Options resolved once: which detectors run, the literals, the exempt values. */
export interface ScanPlan {
  detectors: readonly Detector[];
  /** Whether any of `detectors` may match: one expression for the default ten. */
  mayMatch: (profile: TextProfile) => boolean;
  literals: readonly LiteralValue[];
  exempt: ReadonlySet<string>;
}

/** Whether any enabled detector or literal could match in the profiled text. */
export function anyMayMatch(plan: ScanPlan, profile: TextProfile): boolean {
  if (plan.mayMatch(profile)) return true;
  for (const literal of plan.literals)
    if (profile.held.includes(literal.value.charAt(0))) return true;
  return false;
}

// The plan for the default options, built once: a stream per reply would otherwise build it anew.
let defaultPlan: ScanPlan | undefined;

export function planFor(options: RedactionOptions = {}): ScanPlan {
  const isDefault =
    options.types === undefined && options.literals === undefined && options.exempt === undefined;
  if (isDefault) return (defaultPlan ??= buildPlan(options));
  return buildPlan(options);
}

function buildPlan(options: RedactionOptions): ScanPlan {
  const types = new Set(options.types ?? PATTERN_TYPES);
  const detectors = DETECTORS.filter((detector) => detector.types.some((type) => types.has(type)));
  const mayMatch =
    detectors.length === DETECTORS.length
      ? anyDefaultDetectorMayMatch
      : (profile: TextProfile) => detectors.some((detector) => detector.mayMatch(profile));
  return {
    detectors,
    mayMatch,
    literals: (options.literals ?? []).filter((literal) => literal.value !== ''),
    exempt: new Set((options.exempt ?? []).map((value) => value.trim())),
  };
}

/** Every raw candidate starting at or after `from`, valid or not. */
export function scanCandidates(
  plan: ScanPlan,
  text: string,
  from: number,
  known: { profile?: TextProfile; gates?: readonly number[] } = {},
): Candidate[] {
  const gates = known.gates ?? gateStarts(text, from - KEYWORD_REACH - KEY_GATE_MAX);
  const profile =
    known.profile ?? profileOf(from === 0 ? text : text.slice(from), gates.length > 0);
  const input = { text, from, gates };
  const candidates = scanLiterals(text, from, plan.literals);
  for (const detector of plan.detectors) {
    if (!detector.mayMatch(profile)) continue;
    for (const candidate of detector.scan(input)) candidates.push(candidate);
  }
  return candidates;
}

function toFinding(candidate: Candidate): LabelledFinding {
  const { valueStart: start, valueEnd: end, type, rule, label } = candidate;
  return { start, end, type, rule, label };
}

function better(left: LabelledFinding, right: LabelledFinding): number {
  const length = right.end - right.start - (left.end - left.start);
  if (length !== 0) return length;
  return PRIORITY[left.type] - PRIORITY[right.type] || left.start - right.start;
}

/** Picks non-overlapping findings within one cluster of overlapping ones, best first. */
function pickFromCluster(cluster: LabelledFinding[], into: LabelledFinding[]): void {
  if (cluster.length === 1) {
    into.push(cluster[0] as LabelledFinding);
    return;
  }
  const kept: LabelledFinding[] = [];
  for (const finding of [...cluster].sort(better)) {
    if (kept.every((other) => finding.end <= other.start || finding.start >= other.end)) {
      kept.push(finding);
    }
  }
  into.push(...kept.sort((left, right) => left.start - right.start));
}

/** Valid, non-exempt candidates as sorted, non-overlapping findings. */
export function resolveFindings(
  plan: ScanPlan,
  text: string,
  candidates: Candidate[],
): LabelledFinding[] {
  const findings = candidates
    .filter((candidate) => candidate.valid && candidate.valueEnd > candidate.valueStart)
    .filter(
      (candidate) => !plan.exempt.has(text.slice(candidate.valueStart, candidate.valueEnd).trim()),
    )
    .map(toFinding)
    .sort((left, right) => left.start - right.start || right.end - left.end);
  const resolved: LabelledFinding[] = [];
  let cluster: LabelledFinding[] = [];
  let clusterEnd = -1;
  for (const finding of findings) {
    if (finding.start >= clusterEnd && cluster.length > 0) {
      pickFromCluster(cluster, resolved);
      cluster = [];
    }
    cluster.push(finding);
    clusterEnd = Math.max(clusterEnd, finding.end);
  }
  if (cluster.length > 0) pickFromCluster(cluster, resolved);
  return resolved;
}
