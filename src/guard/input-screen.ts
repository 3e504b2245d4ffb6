import { createHash } from 'node:crypto';
import type { Logger } from '../core/index.js';
import type { ExternalClassifier } from './external-classifier.js';

/** Where a text to check came from. */
export type InjectionSource = 'user' | 'tool' | 'memory';

/** What is done with a text the check flags (see `guard.input` in config). */
export type InputAction = 'block' | 'flag' | 'fence' | 'off';

/** The local detector's verdict, as the screen reads it. */
export interface DetectorVerdict {
  attack: boolean;
  score: number;
  reasons: ReadonlyArray<{ rule: string; detail: string }>;
}

/** The local injection detector: synchronous, in process. */
export interface Detector {
  check(text: string, source?: InjectionSource): DetectorVerdict;
}

/** A screened text's outcome: the verdict and the action configured for its source. */
export interface ScreenVerdict {
  attack: boolean;
  score: number;
  /** The rules that fired (and `external-classifier` when the service flagged it). */
  rules: string[];
  action: InputAction;
}

export interface InputScreenOptions {
  detector: Detector;
  external?: ExternalClassifier | undefined;
  actions: Readonly<Record<InjectionSource, InputAction>>;
  logger: Logger;
  /** Verdicts remembered, so a long history is not checked again each turn. Default 2048. */
  cacheSize?: number;
}

const PASS: Omit<ScreenVerdict, 'action'> = { attack: false, score: 0, rules: [] };

/**
 * Screens text for prompt injection before the model reads it. Verdicts are cached by a digest
 * of the text: a chat client resends the whole history each turn, and each message needs
 * checking once.
 */
export class InputScreen {
  private readonly cache = new Map<string, Omit<ScreenVerdict, 'action'>>();
  private readonly cacheSize: number;

  constructor(private readonly options: InputScreenOptions) {
    this.cacheSize = options.cacheSize ?? 2_048;
  }

  /** The action configured for a source; `off` means its texts are not checked. */
  actionFor(source: InjectionSource): InputAction {
    return this.options.actions[source];
  }

  async screen(text: string, source: InjectionSource): Promise<ScreenVerdict> {
    const action = this.actionFor(source);
    if (action === 'off' || text.trim() === '') return { ...PASS, action };
    const key = createHash('sha256').update(source).update('\0').update(text).digest('base64');
    const known = this.cache.get(key);
    if (known) return { ...known, action };
    const { verdict, final } = await this.decide(text, source);
    if (final) this.remember(key, verdict);
    return { ...verdict, action };
  }

  /** The verdict, and whether it may be remembered (not when the service could not answer). */
  private async decide(text: string, source: InjectionSource) {
    const local = this.options.detector.check(text, source);
    const rules = local.attack ? local.reasons.map((reason) => reason.rule) : [];
    if (local.attack || !this.options.external) {
      return { verdict: { attack: local.attack, score: local.score, rules }, final: true };
    }
    const remote = await this.options.external.classify(text, source);
    const score = Math.max(local.score, remote.score);
    const verdict = { attack: remote.attack, score, rules: remote.attack ? [remote.rule] : [] };
    return { verdict, final: !remote.failed };
  }

  private remember(key: string, verdict: Omit<ScreenVerdict, 'action'>): void {
    if (this.cache.size >= this.cacheSize) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    this.cache.set(key, verdict);
  }
}
