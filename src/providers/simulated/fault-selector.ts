import { RampartError } from '../../core/index.js';
import { checkFault, type SimulatedFault, type SimulatedFaultRule } from './fault.js';
import { findFaultDirective } from './fault-grammar.js';
import { createPrng } from './prng.js';

interface CheckedRule {
  fault: SimulatedFault;
  probability: number;
  match: string | undefined;
}

/** Picks the fault for a request: an in-message directive first, then the configured rules. */
export type FaultSelector = (lastUserText: string) => SimulatedFault | undefined;

/**
 * Builds the selector. Rules are checked once, here; a bad rule is a configuration error.
 * Probabilities are drawn from one generator seeded with `seed` that advances per request, so a
 * run of requests fails in the same pattern every time, and repeated identical requests still
 * fail at the configured rate.
 */
export function createFaultSelector(
  rules: readonly SimulatedFaultRule[],
  seed: number,
): FaultSelector {
  const checked = rules.map(checkRule);
  const prng = createPrng(seed ^ 0x5eed_fa17);
  return (lastUserText) => {
    const directive = findFaultDirective(lastUserText);
    if (directive?.ok) return directive.fault;
    for (const rule of checked) {
      if (rule.match !== undefined && !lastUserText.includes(rule.match)) continue;
      if (rule.probability <= 0) continue;
      if (rule.probability >= 1 || prng.next() < rule.probability) return rule.fault;
    }
    return undefined;
  };
}

function checkRule(rule: SimulatedFaultRule, position: number): CheckedRule {
  const { probability = 1, match, ...fields } = rule;
  const checked = checkFault(fields);
  const invalid = (reason: string) =>
    new RampartError('RAMPART_CONFIG_INVALID', `faults[${position}]: ${reason}`, {
      param: `faults[${position}]`,
    });
  if (!checked.ok) throw invalid(checked.reason);
  if (!(probability >= 0 && probability <= 1)) throw invalid('probability must be from 0 to 1');
  return { fault: checked.fault, probability, match };
}
