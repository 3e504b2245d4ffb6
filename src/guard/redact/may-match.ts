import type { TextProfile } from './profile.js';

/**
 * Whether any of the ten default detectors (see `scan.ts`) may match in the profiled text: their
 * `mayMatch` tests in one expression. The stream asks this of every piece with digits in it and
 * before every scan; asked detector by detector, ten calls through one call site cost more than
 * the tests themselves (about 135 ns a question).
 * `may-match.test.ts` keeps it equal to asking each detector, over every profile near the
 * tests' thresholds.
 */
export function anyDefaultDetectorMayMatch(profile: TextProfile): boolean {
  return (
    // The key-before-value forms; email addresses.
    profile.keywordNear ||
    profile.at ||
    // Provider tokens (and long base64 key blocks); JWTs and credential URLs.
    profile.longestRun >= 14 ||
    (profile.longestRun >= 8 && (profile.dots >= 2 || profile.colons >= 1)) ||
    // IP addresses.
    profile.colons >= 2 ||
    (profile.digits >= 4 && profile.dots >= 3) ||
    // IBANs; phone numbers, and cards and SSNs, which need more digits of the same groups.
    (profile.digits >= 2 && profile.ibanStart) ||
    (profile.digits >= 7 && profile.digitGroups) ||
    // Private key blocks.
    (profile.fiveDashes && profile.held.includes('-----BEGIN'))
  );
}
