/**
 * A characters-per-token ratio for one model, learnt from the usage its provider reports.
 *
 * Each report gives an observed ratio (characters sent / prompt tokens billed). The ratio moves
 * a fraction of the way towards it (an exponential average), and an observation far from the
 * current ratio is first pulled to within `MAX_STEP` times of it: one odd report (a cached
 * prompt billed differently, a provider adding a hidden system prompt) moves the estimate a
 * little, while a steady difference still wins within a few dozen calls. The ratio itself stays
 * within bounds no text reaches (1 to 10 characters a token).
 */
export class CharsPerToken {
  /** How far one observation moves the ratio. */
  static readonly WEIGHT = 0.2;
  /** An observation counts as at most this factor above or below the current ratio. */
  static readonly MAX_STEP = 1.25;
  static readonly MIN = 1;
  static readonly MAX = 10;
  /** Prompts shorter than this say more about fixed overhead than about the text: ignored. */
  static readonly MIN_CHARACTERS = 200;

  private value: number;
  private observations = 0;

  constructor(initial: number) {
    this.value = initial;
  }

  get ratio(): number {
    return this.value;
  }

  /** How many reports have moved the ratio. */
  get observed(): number {
    return this.observations;
  }

  /** Moves the ratio towards what a report showed: `characters` sent, billed as `tokens`. */
  observe(characters: number, tokens: number): void {
    if (!(characters >= CharsPerToken.MIN_CHARACTERS) || !(tokens > 0)) return;
    const { MAX_STEP, WEIGHT, MIN, MAX } = CharsPerToken;
    const seen = clamp(characters / tokens, this.value / MAX_STEP, this.value * MAX_STEP);
    this.value = clamp(this.value + WEIGHT * (seen - this.value), MIN, MAX);
    this.observations += 1;
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
