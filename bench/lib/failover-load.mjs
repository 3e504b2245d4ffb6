// The load of one cell: a fixed number of non-streaming chat completions sent through a fixed
// number of keep-alive connections, each connection sending its next request when the previous
// answer has ended (a closed loop). Every answer is checked and timed from the request's start
// to the end of its body.
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const LOOPBACK = '127.0.0.1';

// Each request asks a different question: nothing could be answered from a stored answer.
function requestBody(model, index) {
  return JSON.stringify({
    model,
    stream: false,
    messages: [{ role: 'user', content: `Request ${index}: say hello.` }],
  });
}

function send({ agent, port, key, body, timeoutMs }) {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const done = (result) => resolve({ ...result, ms: performance.now() - startedAt });
    const request = http.request(
      {
        agent,
        host: LOOPBACK,
        port,
        method: 'POST',
        path: '/v1/chat/completions',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${key}`,
        },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          done({
            status: response.statusCode,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', (error) => done({ status: 0, transport: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => done({ status: 0, transport: error.message }));
    request.end(body);
  });
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * What one answer was: `ok` only for a 200 chat completion that finished with `stop` and whose
 * text is exactly `expected`, the simulator's whole answer to the same question (so an answer
 * continued on the fallback counts when, and only when, it joins up whole); otherwise the
 * failure, named by its error code.
 */
export function classify(answer, expected) {
  if (answer.status === 0) return { ok: false, failure: `transport: ${answer.transport}` };
  const body = parse(answer.text);
  if (answer.status !== 200) {
    return { ok: false, failure: `${answer.status} ${body?.error?.code ?? 'unparsed body'}` };
  }
  const choice = body?.choices?.[0];
  const complete =
    body?.object === 'chat.completion' &&
    choice?.finish_reason === 'stop' &&
    choice.message?.content === expected;
  return complete ? { ok: true } : { ok: false, failure: '200 incomplete answer' };
}

async function runLoop({ requests, conns, request }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: conns });
  const results = new Array(requests);
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const index = next++;
      results[index] = await request(agent, index);
    }
  };
  try {
    await Promise.all(Array.from({ length: conns }, worker));
  } finally {
    agent.destroy();
  }
  return results;
}

/**
 * The simulator's own answer text to each of the first `requests` questions, asked of it
 * directly: the reference every answer through Rampart is checked against. The simulated model
 * answers the same question with the same text whatever the model id, so one healthy simulator
 * serves as the reference for both.
 */
export async function fetchExpectedAnswers({ port, requests, conns, timeoutMs }) {
  return runLoop({
    requests,
    conns,
    async request(agent, index) {
      const body = requestBody('reference', index);
      const answer = await send({ agent, port, key: 'unused', body, timeoutMs });
      const content = parse(answer.text ?? '')?.choices?.[0]?.message?.content;
      if (answer.status !== 200 || typeof content !== 'string') {
        throw new Error(`reference answer ${index}: status ${answer.status} ${answer.text ?? ''}`);
      }
      return content;
    },
  });
}

/**
 * Sends `requests` requests for `model` over `conns` connections and checks each answer against
 * `expected[index]`. Resolves to one record per request, in order:
 * `{index, ms, ok, failure, servedBy, degraded}`.
 */
export async function driveLoad({ port, key, model, requests, conns, expected, timeoutMs }) {
  return runLoop({
    requests,
    conns,
    async request(agent, index) {
      const body = requestBody(model, index);
      const answer = await send({ agent, port, key, body, timeoutMs });
      return {
        index,
        ms: answer.ms,
        ...classify(answer, expected[index]),
        servedBy: answer.headers?.['x-rampart-served-by'] ?? null,
        degraded: answer.headers?.['x-rampart-degraded'] ?? null,
      };
    },
  });
}
