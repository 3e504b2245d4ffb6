import type { InjectionSource } from './types.js';

/** One detection rule: a pattern over normalised text and how much its match counts. */
export interface InjectionRule {
  /** Kebab-case id reported in the verdict's reasons. */
  id: string;
  pattern: RegExp;
  /** Score (0..1) the rule contributes when it matches user text. */
  weight: number;
  /**
   * Score for tool results and memories, where an instruction aimed at the assistant is out of
   * place; 0 turns the rule off for them. Defaults to `weight`.
   */
  dataWeight?: number;
  /** Score for user text when it differs; 0 turns the rule off for users. */
  userWeight?: number;
  /** Score for memories when it differs from `dataWeight`; 0 turns the rule off for them. */
  memoryWeight?: number;
  /** The pattern reads the compact (letters-only) form and runs only on spaced-out text. */
  compact?: boolean;
  /**
   * The pattern reads a script that the homoglyph fold garbles (Cyrillic): it runs over the
   * text as written too, when the fold changed a text in that script (`native` in normalise.ts).
   */
  native?: boolean;
  /**
   * The pattern cannot match unless one of these is in the text: a word (letters only) or a
   * literal. Checking them first skips most patterns on most text, which keeps a check cheap.
   */
  anchors?: readonly string[];
}

/** Picks the weight of `rule` for text from `source`. */
export function weightFor(rule: InjectionRule, source: InjectionSource): number {
  if (source === 'user') return rule.userWeight ?? rule.weight;
  if (source === 'memory' && rule.memoryWeight !== undefined) return rule.memoryWeight;
  return rule.dataWeight ?? rule.weight;
}
