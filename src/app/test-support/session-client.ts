import type { TestServer } from './harness.js';

/** A JSON request with the key's bearer token. */
export function postJson(
  server: TestServer,
  key: string,
  path: string,
  body: unknown,
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A GET with the key's bearer token, its body parsed. */
export async function getJson(server: TestServer, key: string, path: string): Promise<any> {
  const response = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return response.json();
}

/** Creates a session for the key and returns its id. */
export async function newSession(server: TestServer, key: string): Promise<string> {
  const response = await postJson(server, key, '/v1/sessions', {});
  return ((await response.json()) as { id: string }).id;
}

/** One non-streaming turn in a session: the response and its parsed body. */
export async function sessionMessage(
  server: TestServer,
  key: string,
  session: string,
  content: string,
) {
  const response = await postJson(server, key, `/v1/sessions/${session}/messages`, { content });
  return { response, body: (await response.json()) as any };
}

/**
 * A streamed chat completion the client drops after its first bytes: the abandonment that
 * metrics and stats count as `stream_dropped`.
 */
export async function dropStream(server: TestServer, key: string, model: string): Promise<void> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: 'tell me a long story' }],
      stream: true,
    }),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();
  await reader.closed.catch(() => undefined);
}
