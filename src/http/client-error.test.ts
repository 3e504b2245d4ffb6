import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../app/test-support/harness.js';

/*
 * Requests Node's HTTP parser refuses: answered in the OpenAI error shape (see bad-input.test.ts),
 * but never inside an answer already under way on the same connection.
 */

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer({
    config: {
      providers: {
        simulated: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 40, answerTokens: 20 },
      },
    },
  });
  key = await server.key('alice');
});
afterAll(() => server.close());

describe('a request the HTTP parser refuses', () => {
  it('is not answered inside a stream already running on the same connection', async () => {
    const { port } = new URL(server.url);
    const body = JSON.stringify({
      model: 'rampart-sim-1',
      stream: true,
      messages: [{ role: 'user', content: 'Tell me about lighthouses' }],
    });
    const request =
      'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${key}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const received = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
      let text = '';
      let sentGarbage = false;
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
        // Once the stream has started, garbage follows on the same connection.
        if (!sentGarbage && text.includes('data: ')) {
          sentGarbage = true;
          socket.write('GARBAGE \u0001\r\n\r\n');
        }
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(received.startsWith('HTTP/1.1 200')).toBe(true);
    expect(received).toContain('data: ');
    expect(received).not.toContain('HTTP/1.1 400');
    expect(received).not.toContain('RAMPART_INVALID_REQUEST');
  });
});
