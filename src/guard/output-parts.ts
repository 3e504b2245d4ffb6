/** A streaming filter of text: what `push` returns is safe to release now. */
export interface TextFilter {
  push(delta: string): string;
  flush(): string;
  /** What it redacted so far, by type or data class. */
  readonly counts: Readonly<Record<string, number>>;
}

/** Which values a redactor treats specially beside its patterns. */
export interface RedactorSettings {
  types: readonly string[];
  /** Values to redact although no pattern matches them (data the principal may not see). */
  literals: ReadonlyArray<{ value: string; label: string }>;
  /** Values never redacted (the principal's own). */
  exempt: readonly string[];
}

/** The leak detector's finding. */
export interface LeakFinding {
  leaked: boolean;
  reason: 'canary' | 'overlap' | undefined;
}

/** Watches an answer for the system prompt as it streams. */
export interface LeakWatch {
  push(delta: string): { release: string; leak: LeakFinding | undefined };
  flush(): { release: string; leak: LeakFinding | undefined };
}

/** The engines the output stage composes: redaction and leak detection. */
export interface OutputEngines {
  redactor(settings: RedactorSettings): TextFilter;
  redactText(
    text: string,
    settings: RedactorSettings,
  ): { text: string; counts: Record<string, number> };
  leakWatch(system: string, canary: string): LeakWatch;
  /** The system prompt with the canary placed in it. */
  placeCanary(system: string, canary: string): string;
}
