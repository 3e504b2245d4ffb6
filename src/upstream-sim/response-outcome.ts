import type { ServerResponse } from 'node:http';

/**
 * How an API request ended: `completed` when its response was sent in full, `cancelled` when the
 * client closed the connection first, `cut` when the simulator closed it on purpose (a cut fault,
 * or a failure inside the simulator after the headers), `open` while it is still being served.
 */
export type RequestOutcome = 'open' | 'completed' | 'cancelled' | 'cut';

export type EndedOutcome = Exclude<RequestOutcome, 'open'>;

/** Responses the simulator itself closed early; weak, so a finished response is not held. */
const closedBySimulator = new WeakSet<ServerResponse>();

/**
 * Closes the connection mid-response. Ending the socket (rather than destroying it) first
 * delivers every byte already written, so a client sees exactly the events before the cut.
 */
export function cutConnection(response: ServerResponse): void {
  closedBySimulator.add(response);
  if (response.socket) response.socket.end();
  else response.destroy();
}

/** Destroys the connection at once, after a failure inside the simulator. */
export function abandonResponse(response: ServerResponse): void {
  closedBySimulator.add(response);
  response.destroy();
}

/** The outcome of a response that has just emitted `close`. */
export function outcomeOf(response: ServerResponse): EndedOutcome {
  if (response.writableFinished) return 'completed';
  return closedBySimulator.has(response) ? 'cut' : 'cancelled';
}
