import { LeakMonitor, withCanary } from './leak/index.js';
import type { OutputEngines, RedactorSettings } from './output-parts.js';
import {
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

/** The redaction and leak-detection engines, as the output stage composes them. */
export function outputEngines(options: { leakThreshold?: number } = {}): OutputEngines {
  const leakOptions =
    options.leakThreshold === undefined ? {} : { threshold: options.leakThreshold };
  return {
    redactor: (settings) => new StreamRedactor(redactionOptions(settings)),
    redactText: (text, settings) => redactText(text, redactionOptions(settings)),
    leakWatch: (system, canary) => new LeakMonitor(system, { ...leakOptions, canary }),
    placeCanary: withCanary,
  };
}
