import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestServer, type TestServer } from '../app/test-support/harness.js';
import { newSession, postJson } from '../app/test-support/session-client.js';

/*
 * The JSON answers of a real server checked against docs/openapi.yaml, so the published contract
 * cannot drift from what the server says (a field renamed, a constant changed).
 */

interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
  components: Record<string, unknown>;
}
interface Response {
  $ref?: string;
  content?: { 'application/json'?: { schema: unknown } };
}

const spec = parse(
  readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8'),
) as Spec;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'openapi', components: spec.components });

/** The response schema the spec gives a path, method and status, its refs made absolute. */
function responseSchema(path: string, method: string, status: number): object {
  let response = spec.paths[path]?.[method]?.responses[String(status)];
  if (response?.$ref) {
    const name = response.$ref.split('/').at(-1)!;
    response = (spec.components.responses as Record<string, Response>)[name];
  }
  const schema = response?.content?.['application/json']?.schema;
  if (!schema)
    throw new Error(`docs/openapi.yaml has no JSON answer for ${method} ${path} ${status}`);
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
}

async function expectConforms(path: string, method: string, response: globalThis.Response) {
  const body: unknown = await response.json();
  const validate = ajv.compile(responseSchema(path, method, response.status));
  const valid = validate(body);
  expect(validate.errors ?? [], `${method} ${path} ${response.status}`).toEqual([]);
  expect(valid).toBe(true);
}

describe('the server against docs/openapi.yaml', () => {
  let server: TestServer;
  let alice: string;
  let admin: string;
  const get = (key: string, path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    server = await startTestServer();
    alice = await server.key('alice');
    admin = await server.key('root', 'admin');
  });
  afterAll(() => server.close());

  it('answers chat completions, messages and models as documented', async () => {
    const chat = await postJson(server, alice, '/v1/chat/completions', {
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    await expectConforms('/v1/chat/completions', 'post', chat);
    const messages = await postJson(server, alice, '/v1/messages', {
      model: 'rampart-sim-1',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    await expectConforms('/v1/messages', 'post', messages);
    const count = await postJson(server, alice, '/v1/messages/count_tokens', {
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(count.status).toBe(200);
    await expectConforms('/v1/messages/count_tokens', 'post', count);
    await expectConforms('/v1/models', 'get', await get(alice, '/v1/models'));
    const unknown = await postJson(server, alice, '/v1/chat/completions', {
      model: 'no-such-model',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(unknown.status).toBe(404);
    await expectConforms('/v1/chat/completions', 'post', unknown);
  });

  it('answers sessions, usage, stats and alerts as documented', async () => {
    const created = await postJson(server, alice, '/v1/sessions', {});
    expect(created.status).toBe(201);
    await expectConforms('/v1/sessions', 'post', created);
    const session = await newSession(server, alice);
    const turn = await postJson(server, alice, `/v1/sessions/${session}/messages`, {
      content: 'Hello again',
    });
    await expectConforms('/v1/sessions/{id}/messages', 'post', turn);
    await expectConforms('/v1/sessions/{id}', 'get', await get(alice, `/v1/sessions/${session}`));
    await expectConforms('/v1/usage', 'get', await get(alice, '/v1/usage?group_by=day'));
    await expectConforms('/v1/stats', 'get', await get(admin, '/v1/stats?window=15m'));
    const timeline = await get(admin, '/v1/stats/timeline?window=15m');
    await expectConforms('/v1/stats/timeline', 'get', timeline);
    await expectConforms('/v1/alerts', 'get', await get(admin, '/v1/alerts'));
  });
});
