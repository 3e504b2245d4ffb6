/** Where the checked text came from: the user, a tool result, or a retrieved memory. */
export type InjectionSource = 'user' | 'tool' | 'memory';

/** One rule that fired, with the text that made it fire. */
export interface InjectionReason {
  /** Kebab-case rule id, e.g. `override-instructions`, `classifier`. */
  rule: string;
  detail: string;
}

/** The outcome of one check. */
export interface InjectionVerdict {
  /** True when `score` reached the threshold. */
  attack: boolean;
  /** 0..1: rules and classifier combined. */
  score: number;
  /** Empty when benign; the rule(s) that fired otherwise. */
  reasons: InjectionReason[];
  /** Normalisations that changed the text, e.g. `['zero-width', 'base64']`. */
  transforms: string[];
}

/** Settings of a detector. */
export interface InjectionDetectorOptions {
  /** Score at or above which text is an attack. Default: the threshold stored with the model. */
  threshold?: number;
}

/** Checks text for prompt injection. Pure and synchronous; safe to share. */
export interface InjectionDetector {
  check(text: string, source?: InjectionSource): InjectionVerdict;
}
