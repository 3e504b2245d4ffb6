import { RampartError } from '../../core/index.js';

/**
 * Splits a stream of decoded text into lines, for the event-stream format. A line ends at LF,
 * CRLF or a lone CR (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream).
 * Text arrives in arbitrary pieces, so a line, or a CRLF pair, may straddle two pieces.
 */
export class LineSplitter {
  private partial = '';
  /** Set after a piece ended in CR: a LF at the start of the next piece ends no second line. */
  private skipLeadingLf = false;

  /**
   * @param maxLineLength The longest line accepted, in UTF-16 code units. A longer line throws
   * `RAMPART_UPSTREAM_BAD_RESPONSE` as soon as it is seen, before it is buffered.
   */
  constructor(private readonly maxLineLength: number) {}

  /** Adds a piece of text and returns the lines it completed, without their line endings. */
  push(text: string): string[] {
    if (text === '') return [];
    let start = 0;
    if (this.skipLeadingLf && text.charCodeAt(0) === LF) start = 1;
    this.skipLeadingLf = false;

    const lines: string[] = [];
    for (let position = start; position < text.length; position++) {
      const code = text.charCodeAt(position);
      if (code !== LF && code !== CR) continue;
      this.checkLength(position - start);
      lines.push(this.partial + text.slice(start, position));
      this.partial = '';
      if (code === CR) {
        if (position === text.length - 1) this.skipLeadingLf = true;
        else if (text.charCodeAt(position + 1) === LF) position++;
      }
      start = position + 1;
    }
    this.checkLength(text.length - start);
    this.partial += text.slice(start);
    return lines;
  }

  /** The text after the last line ending: a line the stream has not finished. */
  get unfinished(): string {
    return this.partial;
  }

  /** Throws when the unfinished line plus `added` more characters would pass the cap. */
  private checkLength(added: number): void {
    if (this.partial.length + added <= this.maxLineLength) return;
    throw new RampartError(
      'RAMPART_UPSTREAM_BAD_RESPONSE',
      `An upstream event-stream line is longer than the limit of ${this.maxLineLength} characters`,
    );
  }
}

const LF = 0x0a;
const CR = 0x0d;
