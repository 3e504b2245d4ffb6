import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSilentLogger,
  isRampartError,
  type Principal,
  type ToolCall,
} from '../../core/index.js';
import { runToolCalls, type RunToolCallsOptions } from '../run-tool-calls.js';
import { ToolRegistry } from '../tool-registry.js';
import { createHttpTool, type HttpToolOptions } from './http-tool.js';

const principal: Principal = {
  userId: 'u',
  role: 'user',
  tier: 'free',
  permissions: [],
  keyId: 'k',
};
const parameters = { type: 'object', properties: { q: { type: 'string' } } };

interface Received {
  method: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const received: Received[] = [];
const closedEarly: string[] = [];

type Route = (response: ServerResponse, body: string) => void;

const routes: Record<string, Route> = {
  '/echo': (response, body) => json(response, 200, { got: JSON.parse(body) as unknown }),
  '/slow': (response, body) => {
    setTimeout(() => json(response, 200, { got: JSON.parse(body) as unknown }), 500);
  },
  '/text': (response) => {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('plain words');
  },
  '/bad-json': (response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{not json');
  },
  '/empty': (response) => response.writeHead(204).end(),
  '/fail': (response) => {
    response
      .writeHead(500, { 'content-type': 'text/plain' })
      .end(`database down ${'x'.repeat(10_000)}`);
  },
  '/not-found': (response) => json(response, 404, { error: 'no such thing' }),
  '/redirect': (response) => response.writeHead(302, { location: '/echo' }).end(),
  '/huge': (response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const chunk = 'y'.repeat(64 * 1024);
    const write = (left: number): void => {
      if (left === 0 || response.destroyed) return void response.end();
      if (response.write(chunk)) return write(left - 1);
      response.once('drain', () => write(left - 1));
    };
    write(80);
  },
  '/hang': () => {},
};

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    received.push({ method: request.method, headers: request.headers, body });
    routes[request.url ?? '']?.(response, body);
  });
  response.on('close', () => {
    if (!response.writableFinished) closedEarly.push(request.url ?? '');
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function httpTool(name: string, path: string, extra: Partial<HttpToolOptions> = {}) {
  return createHttpTool({ name, parameters, url: `${base}${path}`, timeoutMs: 2000, ...extra });
}

function runHttp(
  tools: ReturnType<typeof createHttpTool>[],
  calls: ToolCall[],
  options: Partial<RunToolCallsOptions> = {},
) {
  const registry = new ToolRegistry();
  for (const tool of tools) registry.register(tool);
  const signal = new AbortController().signal;
  return runToolCalls(calls, { registry, principal, signal, ...options });
}

function errorOf(content: string) {
  return (JSON.parse(content) as { error: { code: string; message: string } }).error;
}

describe('createHttpTool', () => {
  it('POSTs the arguments as JSON with the configured headers and parses the JSON answer', async () => {
    const tool = httpTool('echo', '/echo', { headers: { authorization: 'Bearer backend-secret' } });

    const [result] = await runHttp([tool], [{ id: 'c1', name: 'echo', arguments: '{"q":"é☃"}' }]);

    expect(result).toMatchObject({ ok: true, content: '{"got":{"q":"é☃"}}' });
    const last = received.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers.authorization).toBe('Bearer backend-secret');
    expect(last.body).toBe('{"q":"é☃"}');
  });

  it('runs three 500 ms tools as one batch in well under their serial time', async () => {
    const tools = ['one', 'two', 'three'].map((name) => httpTool(name, '/slow'));
    const calls = tools.map((tool, index) => ({
      id: `c${index}`,
      name: tool.name,
      arguments: `{"q":"${tool.name}"}`,
    }));

    const started = performance.now();
    const results = await runHttp(tools, calls);
    const elapsed = performance.now() - started;

    expect(elapsed).toBeLessThan(1200);
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(results.map((result) => result.content)).toEqual([
      '{"got":{"q":"one"}}',
      '{"got":{"q":"two"}}',
      '{"got":{"q":"three"}}',
    ]);
  });

  it('returns a text body as text, and an unparsable JSON body as text', async () => {
    const results = await runHttp(
      [httpTool('text', '/text'), httpTool('bad', '/bad-json'), httpTool('empty', '/empty')],
      [
        { id: 'a', name: 'text', arguments: '{}' },
        { id: 'b', name: 'bad', arguments: '{}' },
        { id: 'c', name: 'empty', arguments: '{}' },
      ],
    );
    expect(results.map((result) => result.content)).toEqual(['plain words', '{not json', 'null']);
  });

  it('treats a 500 as a failure quoting the status and a bounded excerpt', async () => {
    const [result] = await runHttp(
      [httpTool('fail', '/fail')],
      [{ id: 'a', name: 'fail', arguments: '{}' }],
    );

    const error = errorOf(result!.content);
    expect(result?.errorCode).toBe('RAMPART_TOOL_FAILED');
    expect(error.message).toMatch(/^The endpoint answered HTTP 500: database down x+…$/);
    expect(error.message.length).toBeLessThan(600);
  });

  it.each([
    ['/not-found', 'The endpoint answered HTTP 404: {"error":"no such thing"}'],
    ['/redirect', 'The endpoint answered HTTP 302: '],
  ])('treats %s as a failure without following it', async (path, message) => {
    const [result] = await runHttp(
      [httpTool('t', path)],
      [{ id: 'a', name: 't', arguments: '{}' }],
    );
    expect(errorOf(result!.content)).toEqual({ code: 'RAMPART_TOOL_FAILED', message });
  });

  it('refuses a body over the size limit without buffering all of it', async () => {
    const tool = httpTool('huge', '/huge', { maxResponseBytes: 100_000 });

    const [result] = await runHttp([tool], [{ id: 'a', name: 'huge', arguments: '{}' }]);

    expect(errorOf(result!.content)).toEqual({
      code: 'RAMPART_TOOL_FAILED',
      message: "The endpoint's response is larger than the limit of 100000 bytes.",
    });
  });

  it('times out on its own deadline and closes the request', async () => {
    const tool = createHttpTool({ name: 'hang', parameters, url: `${base}/hang`, timeoutMs: 150 });
    const context = {
      principal,
      signal: new AbortController().signal,
      logger: createSilentLogger(),
    };

    const started = performance.now();
    const error: unknown = await tool.handler({}, context).catch((caught: unknown) => caught);

    expect(performance.now() - started).toBeLessThan(1000);
    expect(isRampartError(error, 'RAMPART_TOOL_TIMEOUT')).toBe(true);
    expect((error as Error).message).toBe('The endpoint did not answer within 150 ms.');
    await expect.poll(() => closedEarly.filter((path) => path === '/hang').length).toBe(1);
  });

  it('reports a timeout result through the runner', async () => {
    const tool = httpTool('hang', '/hang', { timeoutMs: 100 });

    const [result] = await runHttp([tool], [{ id: 'a', name: 'hang', arguments: '{}' }]);

    expect(result?.errorCode).toBe('RAMPART_TOOL_TIMEOUT');
  });

  it('stops the request when the batch is cancelled', async () => {
    const controller = new AbortController();
    const before = closedEarly.length;
    const arrived = received.length;
    const tool = httpTool('hang', '/hang', { timeoutMs: 10_000 });

    const pending = runHttp([tool], [{ id: 'a', name: 'hang', arguments: '{}' }], {
      signal: controller.signal,
    });
    await expect.poll(() => received.length).toBe(arrived + 1);
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const [result] = await pending;

    expect(performance.now() - started).toBeLessThan(1000);
    expect(result?.errorCode).toBe('RAMPART_CLIENT_CLOSED');
    await expect.poll(() => closedEarly.length).toBe(before + 1);
  });

  it('reports an unreachable endpoint as a failure', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const tool = createHttpTool({
      name: 'gone',
      parameters,
      url: `http://127.0.0.1:${port}/`,
      timeoutMs: 2000,
    });

    const [result] = await runHttp([tool], [{ id: 'a', name: 'gone', arguments: '{}' }]);

    expect(errorOf(result!.content).message).toMatch(/^The endpoint could not be reached: /);
  });

  it('refuses a URL that is not http or https', () => {
    expect(() =>
      createHttpTool({ name: 'bad', parameters, url: 'file:///etc/passwd', timeoutMs: 100 }),
    ).toThrow("HTTP tool 'bad' needs an http or https URL.");
    expect(() =>
      createHttpTool({ name: 'bad', parameters, url: 'not a url', timeoutMs: 100 }),
    ).toThrow(/needs an http or https URL/);
  });
});
