import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../app/test-support/harness.js';

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer({ config: { server: { bodyLimitBytes: 64 * 1024 } } });
  key = await server.key('alice');
});
afterAll(() => server.close());

const chat = { model: 'rampart-sim-1', messages: [{ role: 'user', content: 'hi' }] };

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  return server.rampart.app.inject({
    method: 'POST',
    url: path,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    payload: body,
  });
}

function expectOpenAIError(
  response: { statusCode: number; json: () => unknown },
  status: number,
  code: string,
) {
  expect(response.statusCode).toBe(status);
  const body = response.json() as { error: Record<string, unknown> };
  expect(body.error).toMatchObject({ code, type: expect.any(String), message: expect.any(String) });
  expect(body.error).toHaveProperty('param');
  return body.error;
}

describe('bad input', () => {
  it('refuses a missing key, a wrong key and a malformed header with 401', async () => {
    for (const authorization of [undefined, 'Bearer rk_nope_nope', 'Basic abc', 'Bearer ']) {
      const response = await server.rampart.app.inject({
        method: 'GET',
        url: '/v1/models',
        headers: authorization === undefined ? {} : { authorization },
      });
      expectOpenAIError(response, 401, 'RAMPART_UNAUTHORIZED');
    }
  });

  it('accepts the key as x-api-key too', async () => {
    const response = await server.rampart.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { 'x-api-key': key },
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers malformed JSON with 400 RAMPART_INVALID_JSON', async () => {
    for (const body of ['{"model":', 'not json', '', '[1,2', '{"__proto__": {"x": 1}}']) {
      const response = await post('/v1/chat/completions', body);
      expect(response.statusCode, body).toBe(400);
      expect(response.json().error.code, body).toMatch(/RAMPART_INVALID_(JSON|REQUEST)/);
    }
  });

  it('says where a body stops being JSON, and which key is refused', async () => {
    const broken = (await post('/v1/chat/completions', '{"model": "x",}')).json().error;
    expect(broken.code).toBe('RAMPART_INVALID_JSON');
    expect(broken.message).toMatch(/^The request body is not valid JSON: .*position 14/);
    const poisoned = (await post('/v1/chat/completions', '{"__proto__": {"x": 1}}')).json().error;
    expect(poisoned).toMatchObject({ code: 'RAMPART_INVALID_JSON' });
    expect(poisoned.message).toContain('"__proto__"');
  });

  it('answers wrong types with 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...chat, messages: 'hi' }, 'messages'],
      [{ ...chat, messages: [] }, 'messages'],
      [{ ...chat, messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
      [{ ...chat, temperature: 'hot' }, 'temperature'],
      [{ ...chat, model: 42 }, 'model'],
      [{ ...chat, stream: 'yes' }, 'stream'],
    ];
    for (const [body, param] of cases) {
      const response = await post('/v1/chat/completions', JSON.stringify(body));
      const error = expectOpenAIError(response, 400, 'RAMPART_INVALID_REQUEST');
      expect(error.param, JSON.stringify(body)).toContain(param.split('[')[0]);
    }
  });

  it('answers an unknown model with 404 in the OpenAI shape', async () => {
    const response = await post(
      '/v1/chat/completions',
      JSON.stringify({ ...chat, model: 'gpt-9' }),
    );
    const error = expectOpenAIError(response, 404, 'RAMPART_UNKNOWN_MODEL');
    expect(error.param).toBe('model');
  });

  it('answers an oversize body with 413, a streamed one too', async () => {
    const big = JSON.stringify({
      ...chat,
      messages: [{ role: 'user', content: 'x'.repeat(70_000) }],
    });
    const error = expectOpenAIError(
      await post('/v1/chat/completions', big),
      413,
      'RAMPART_BODY_TOO_LARGE',
    );
    // The message names the limit and the setting that changes it.
    expect(error.message).toContain('(64 KiB; server.bodyLimitBytes');
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'RAMPART_BODY_TOO_LARGE',
    );
  });

  it('answers a non-JSON content type with 415', async () => {
    const response = await post('/v1/chat/completions', 'model=x', {
      'content-type': 'text/plain',
    });
    expectOpenAIError(response, 415, 'RAMPART_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown routes and sessions with 404 JSON', async () => {
    const route = await server.rampart.app.inject({ method: 'GET', url: '/v2/nothing' });
    expectOpenAIError(route, 404, 'RAMPART_NOT_FOUND');
    const session = await server.rampart.app.inject({
      method: 'GET',
      url: '/v1/sessions/sess_doesnotexist',
      headers: { authorization: `Bearer ${key}` },
    });
    expectOpenAIError(session, 404, 'RAMPART_SESSION_NOT_FOUND');
    const turn = await post(
      '/v1/sessions/sess_doesnotexist/messages',
      JSON.stringify({ content: 'hi' }),
    );
    expectOpenAIError(turn, 404, 'RAMPART_SESSION_NOT_FOUND');
  });

  it('validates session bodies', async () => {
    expectOpenAIError(
      await post('/v1/sessions', JSON.stringify({ assistant: 'nobody' })),
      400,
      'RAMPART_INVALID_REQUEST',
    );
    const created = await post('/v1/sessions', '{}');
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    for (const body of [{}, { content: '' }, { content: 5 }, { content: 'hi', stream: 'no' }]) {
      const response = await post(`/v1/sessions/${id}/messages`, JSON.stringify(body));
      expectOpenAIError(response, 400, 'RAMPART_INVALID_REQUEST');
    }
  });

  it('answers a wrong method on a known route with 405 and Allow', async () => {
    const response = await server.rampart.app.inject({
      method: 'GET',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key}` },
    });
    expectOpenAIError(response, 405, 'RAMPART_METHOD_NOT_ALLOWED');
    expect(response.headers.allow).toBe('POST');
    // A trailing slash is another path: unknown, not "POST not allowed, use POST".
    const slashed = await server.rampart.app.inject({
      method: 'POST',
      url: '/v1/chat/completions/',
      headers: { authorization: `Bearer ${key}` },
    });
    expectOpenAIError(slashed, 404, 'RAMPART_NOT_FOUND');
  });

  it('keeps malformed and overlong URLs in the OpenAI error shape without echoing them', async () => {
    const badUrl = await server.rampart.app.inject({ method: 'GET', url: '/v1/sessions/%E0%A4%A' });
    expectOpenAIError(badUrl, 400, 'RAMPART_INVALID_REQUEST');
    const long = 'x'.repeat(10_000);
    const overlong = await server.rampart.app.inject({
      method: 'GET',
      url: `/v1/sessions/${long}`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(overlong.statusCode).toBeGreaterThanOrEqual(400);
    expect(overlong.statusCode).toBeLessThan(500);
    expect(overlong.json().error.code).toMatch(/^RAMPART_/);
    expect(overlong.body).not.toContain(long);
  });

  it('answers requests the HTTP parser refuses in the same shape, echoing nothing', async () => {
    const { port } = new URL(server.url);
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (received += chunk));
        socket.on('end', () => resolve(received));
        socket.on('error', reject);
      });
    const cases: Array<[string, string]> = [
      ['400', 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 1<script>\r\n\r\n'],
      ['400', 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\u0001: <b>\r\n\r\n'],
      ['431', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ];
    for (const [status, request] of cases) {
      const response = await raw(request);
      const [head = '', body = ''] = response.split('\r\n\r\n');
      expect(head.split('\r\n')[0], request.slice(0, 40)).toContain(` ${status} `);
      expect(head.toLowerCase()).toContain('content-type: application/json');
      const parsed = JSON.parse(body) as { error: Record<string, unknown> };
      expect(parsed.error).toMatchObject({ code: 'RAMPART_INVALID_REQUEST', param: null });
      expect(body).not.toContain('<');
    }
  });

  it('reads an empty JSON body as no body', async () => {
    const created = await post('/v1/sessions', '');
    expect(created.statusCode).toBe(201);
    const removed = await server.rampart.app.inject({
      method: 'DELETE',
      url: `/v1/sessions/${created.json().id}`,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
    expect(removed.statusCode).toBe(200);
  });

  it('refuses a session message made only of empty parts', async () => {
    const id = (await post('/v1/sessions', '{}')).json().id as string;
    const body = JSON.stringify({ content: [{ type: 'text', text: '' }] });
    const error = expectOpenAIError(
      await post(`/v1/sessions/${id}/messages`, body),
      400,
      'RAMPART_INVALID_REQUEST',
    );
    expect(error.param).toBe('content');
  });

  it('stays healthy for everyone after all of the above, including a burst of garbage', async () => {
    const garbage = Array.from({ length: 50 }, (_, index) =>
      post('/v1/chat/completions', index % 2 === 0 ? '{{{' : JSON.stringify({ messages: index })),
    );
    const good = post('/v1/chat/completions', JSON.stringify(chat));
    const responses = await Promise.all([...garbage, good]);
    expect(responses.slice(0, 50).every((response) => response.statusCode === 400)).toBe(true);
    const answer = responses[50]!;
    expect(answer.statusCode).toBe(200);
    expect(answer.json().choices[0].message.content).toEqual(expect.any(String));
  });
});
