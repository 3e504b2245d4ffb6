/**
 * Splits a stream of decoded text into lines, for the event-stream format. A line ends at LF,
 * CRLF or a lone CR (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream).
 * Text arrives in arbitrary pieces, so a line, or a CRLF pair, may straddle two pieces.
 */
export class LineSplitter {
  private partial = '';
  /** Set after a piece ended in CR: a LF at the start of the next piece ends no second line. */
  private skipLeadingLf = false;

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

      lines.push(this.partial + text.slice(start, position));
      this.partial = '';
      if (code === CR) {
        if (position === text.length - 1) this.skipLeadingLf = true;
        else if (text.charCodeAt(position + 1) === LF) position++;
      }
      start = position + 1;
    }
    this.partial += text.slice(start);
    return lines;
  }

  /** The text after the last line ending: a line the stream has not finished. */
  get unfinished(): string {
    return this.partial;
  }
}

const LF = 0x0a;
const CR = 0x0d;
