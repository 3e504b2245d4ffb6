import { RampartError } from '../../core/index.js';

/** An event to write: `data` may hold several lines; without an `event` name it is a message. */
export interface SseOutgoingEvent {
  event?: string;
  data: string;
}

/**
 * A keep-alive to write while a stream is quiet. It is a comment line with no blank line after it:
 * some client decoders dispatch an event at any blank line once they have seen any field or
 * comment, and an event with empty data makes a JSON client throw. The next real event's blank
 * line ends the block instead, and that block has data.
 */
export const SSE_KEEPALIVE = ': keep-alive\n';

/**
 * Formats one event: an `event:` line when named, one `data:` line per line of `data`, then the
 * blank line that dispatches it. Line breaks inside `data` (LF, CRLF or CR) each become a new
 * `data:` line, so a reader receives them as `\n`. No `id:` or `retry:` is ever written: a
 * block holding only those would reach some clients as an empty event.
 */
export function formatSseEvent(event: SseOutgoingEvent): string {
  let text = '';
  if (event.event) text += `event: ${checkedEventName(event.event)}\n`;
  for (const line of event.data.split(LINE_BREAK)) text += `data: ${line}\n`;
  return `${text}\n`;
}

function checkedEventName(name: string): string {
  if (LINE_BREAK.test(name)) {
    throw new RampartError(
      'RAMPART_INTERNAL',
      `Invalid server-sent event name: ${JSON.stringify(name)}`,
    );
  }
  return name;
}

const LINE_BREAK = /\r\n|\r|\n/;
