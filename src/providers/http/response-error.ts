import type { RampartError } from '../../core/index.js';
import { DEFAULT_MAX_ERROR_BYTES, readBodyText } from './body.js';
import type { HttpResponse } from './http-transport.js';
import { upstreamErrorFromResponse } from './upstream-status.js';

/**
 * Reads a non-success response's body (up to a small cap) and returns the matching error. A body
 * that fails to arrive still gives the error for the status alone.
 */
export async function errorFromResponse(response: HttpResponse): Promise<RampartError> {
  let text = '';
  try {
    text = (await readBodyText(response.body, DEFAULT_MAX_ERROR_BYTES)).text;
  } catch {
    response.cancel();
  }
  return upstreamErrorFromResponse(response.status, response.headers, text);
}
