/**
 * One dispatched server-sent event, as the WHATWG event-stream rules define it: `data` is the
 * `data:` lines of one event joined with `\n`; `event` is absent when the stream named none.
 */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
  retry?: number;
}
