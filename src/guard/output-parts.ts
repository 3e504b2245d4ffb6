/** A streaming filter of text: what `push` returns is safe to release now. */
export interface TextFilter {
  push(delta: string): string;
  flush(): string;
  /** What it redacted so far, by type or data class. */
  readonly counts: Readonly<Record<string, number>>;
}

/** What a redactor looks for, and the values it leaves alone. */
export interface RedactorSettings {
  types: readonly string[];
  /** Values never redacted: the principal's own records and the classes it is cleared for. */
  exempt: readonly string[];
  /**
   * Keep the last four characters of a redacted card or IBAN in sight (`[REDACTED:card …1111]`,
   * and an IBAN's country and check digits: `[REDACTED:iban DE89…3000]`),
   * as statements do: for a person asked to confirm a call, who must tell which account it names.
   */
  showLastFour?: boolean;
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
