import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './send.js';
import { SIMULATED_CREATED } from './wire-format.js';

/**
 * `GET /v1/models`: OpenAI's list shape, or Anthropic's when the client sends
 * `anthropic-version` (as the Anthropic SDK does). Every id is a simulated model.
 */
export function serveModels(
  request: IncomingMessage,
  response: ServerResponse,
  models: readonly string[],
) {
  if (request.headers['anthropic-version'] === undefined) {
    const data = models.map((id) => ({
      id,
      object: 'model',
      created: SIMULATED_CREATED,
      owned_by: 'rampart-simulator',
    }));
    return sendJson(response, 200, JSON.stringify({ object: 'list', data }));
  }
  const createdAt = new Date(SIMULATED_CREATED * 1000).toISOString();
  const data = models.map((id) => ({
    type: 'model',
    id,
    display_name: `${id} (simulated)`,
    created_at: createdAt,
  }));
  const page = {
    data,
    has_more: false,
    first_id: models[0] ?? null,
    last_id: models.at(-1) ?? null,
  };
  return sendJson(response, 200, JSON.stringify(page));
}
