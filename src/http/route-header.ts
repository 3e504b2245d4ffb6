import { headerValue } from '../core/index.js';
import { routeHeader } from '../cost/index.js';
import type { Turn } from '../runtime/index.js';

/** `X-Rampart-Route` when a routing route chose the model; nothing for a plain model name. */
export function routeHeaders(turn: Turn): Record<string, string> {
  return turn.routing ? { 'x-rampart-route': headerValue(routeHeader(turn.routing)) } : {};
}
