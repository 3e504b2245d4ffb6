/** Raw text kept before the held part, for patterns that look back (`password = `). */
export const CONTEXT = 160;
// The released text is kept until it passes this many characters, then cut back to CONTEXT.
const KEEP = 8 * CONTEXT;

/**
 * The text a stream has released, as far back as its patterns look (CONTEXT characters). Pieces
 * are appended to a rope, which is cut back to CONTEXT characters when it passes KEEP (each cut
 * copies it, so cutting less often copies less). The last characters can also be read one by
 * one, from the piece they were released from, without the rope being flattened.
 */
export class ReleasedText {
  #recent = '';
  #context: string | undefined = '';
  /** `#lastSource.slice(0, #lastEnd)` ends with the last released characters. */
  #lastSource = '';
  #lastEnd = 0;

  /** Notes released `raw` text, which `source.slice(0, end)` ends with. */
  add(raw: string, source: string, end: number): void {
    this.#recent = this.#recent.length > KEEP ? this.context() + raw : this.#recent + raw;
    this.#context = undefined;
    this.#lastSource = source;
    this.#lastEnd = end;
  }

  /** The last CONTEXT released characters (fewer at the start of the stream). */
  context(): string {
    if (this.#context !== undefined) return this.#context;
    const recent = this.#recent;
    this.#context = recent.length > CONTEXT ? recent.slice(-CONTEXT) : recent;
    return this.#context;
  }

  /** The last `count` (at most CONTEXT) released characters. */
  before(count: number): string {
    if (this.#lastEnd >= count) return this.#lastSource.slice(this.#lastEnd - count, this.#lastEnd);
    const context = this.context();
    return context.slice(Math.max(0, context.length - count));
  }

  /** The code of the `count`th last released character, as the context has it (NaN past it). */
  codeBefore(count: number): number {
    if (count <= this.#lastEnd && count <= CONTEXT)
      return this.#lastSource.charCodeAt(this.#lastEnd - count);
    const context = this.context();
    return context.charCodeAt(context.length - count);
  }
}
