import { describe, expect, it } from 'vitest';
import { anyDefaultDetectorMayMatch } from './may-match.js';
import type { TextProfile } from './profile.js';
import { planFor } from './scan.js';

const HELD = ['', 'x', '-----', '-----BEGIN RSA PRIVATE KEY'];
const RUNS = [0, 7, 8, 13, 14, 53, 54, 60];

/** Every profile with counts on either side of each detector's thresholds. */
function* profiles(): Generator<TextProfile> {
  for (const held of HELD)
    for (let digits = 0; digits <= 13; digits++)
      for (let dots = 0; dots <= 3; dots++)
        for (let colons = 0; colons <= 2; colons++)
          for (const longestRun of RUNS)
            for (let flags = 0; flags < 32; flags++) {
              yield {
                held,
                digits,
                dots,
                colons,
                longestRun,
                at: (flags & 1) !== 0,
                keywordNear: (flags & 2) !== 0,
                ibanStart: (flags & 4) !== 0,
                fiveDashes: (flags & 8) !== 0,
                digitGroups: (flags & 16) !== 0,
              };
            }
}

describe('the default detectors asked at once', () => {
  it('answers as asking each of the ten detectors does', () => {
    const plan = planFor();
    expect(plan.detectors).toHaveLength(10);
    expect(plan.mayMatch).toBe(anyDefaultDetectorMayMatch);
    let differences = 0;
    let matches = 0;
    for (const profile of profiles()) {
      const each = plan.detectors.some((detector) => detector.mayMatch(profile));
      if (anyDefaultDetectorMayMatch(profile) !== each) differences++;
      if (each) matches++;
    }
    expect(differences).toBe(0);
    // Both answers occur, so the comparison can tell the two apart.
    expect(matches).toBeGreaterThan(0);
  });

  it('is used only when every detector is, and a plan of fewer asks its own', () => {
    const plan = planFor({ types: ['email', 'ip'] });
    expect(plan.mayMatch).not.toBe(anyDefaultDetectorMayMatch);
    let differences = 0;
    for (const profile of profiles())
      if (plan.mayMatch(profile) !== plan.detectors.some((detector) => detector.mayMatch(profile)))
        differences++;
    expect(differences).toBe(0);
  });
});
