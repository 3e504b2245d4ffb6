import { LeakMonitor, withCanary } from './leak/index.js';
import type { OutputEngines, RedactorSettings } from './output-parts.js';
import {
  defaultReplacement,
  redactText,
  StreamRedactor,
  type RedactionOptions,
  type SensitiveType,
} from './redact/index.js';

function redactionOptions(settings: RedactorSettings): RedactionOptions {
  return {
    types: settings.types as readonly SensitiveType[],
    exempt: settings.exempt,
  };
}

/** Types whose last four characters a confirmation may show (see `showLastFour`). */
const LAST_FOUR_TYPES = new Set<string>(['card', 'iban']);

/**
 * `redactText` with, when asked, the last four letters or digits of cards and IBANs kept, and
 * an IBAN's country and check digits: an attacker can choose an account that ends as the
 * user's does, but its check digits then differ from the user's in all but one case in 97.
 */
function redactWhole(text: string, settings: RedactorSettings) {
  const options = redactionOptions(settings);
  if (settings.showLastFour !== true) return redactText(text, options);
  return redactText(text, {
    ...options,
    replacement: (finding, label) => {
      const replaced = defaultReplacement(finding, label);
      if (!LAST_FOUR_TYPES.has(finding.type)) return replaced;
      const plain = text.slice(finding.start, finding.end).replace(/[^A-Za-z0-9]/g, '');
      const head = finding.type === 'iban' ? plain.slice(0, 4) : '';
      return `${replaced.slice(0, -1)} ${head}…${plain.slice(-4)}]`;
    },
  });
}

/** The redaction and leak-detection engines, as the output stage composes them. */
export function outputEngines(options: { leakThreshold?: number } = {}): OutputEngines {
  const leakOptions =
    options.leakThreshold === undefined ? {} : { threshold: options.leakThreshold };
  return {
    redactor: (settings) => new StreamRedactor(redactionOptions(settings)),
    redactText: redactWhole,
    leakWatch: (system, canary) => new LeakMonitor(system, { ...leakOptions, canary }),
    placeCanary: withCanary,
  };
}
