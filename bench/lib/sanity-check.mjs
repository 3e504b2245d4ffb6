/* global fetch, AbortSignal -- Node 20 globals; no-undef knows only the ECMAScript ones here */
// One request of each mode to each target before the load starts: a misconfigured route or key
// would otherwise show up as a matrix of fast 4xx answers that look like excellent latency.

function body(model, stream) {
  return JSON.stringify({
    model,
    stream,
    messages: [{ role: 'user', content: 'Say hello.' }],
  });
}

async function post({ url, headers, model, stream }) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body(model, stream),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, text: await response.text() };
}

function problem({ status, text }, stream) {
  if (status !== 200) return `status ${status}: ${text.slice(0, 300)}`;
  if (stream && !text.includes('data: [DONE]')) return 'stream did not end with data: [DONE]';
  if (!stream && !text.includes('"chat.completion"'))
    return `not a chat.completion: ${text.slice(0, 300)}`;
  return null;
}

/** Throws with the first target and mode whose answer is not a well-formed completion. */
export async function sanityCheck({ upstream, rampart, model }) {
  const targets = [
    { label: 'direct', url: upstream.url, headers: {} },
    { label: 'rampart', url: rampart.url, headers: { authorization: `Bearer ${rampart.key}` } },
  ];
  for (const target of targets) {
    for (const stream of [false, true]) {
      const found = problem(await post({ ...target, model, stream }), stream);
      if (found) throw new Error(`sanity check, ${target.label} stream=${stream}: ${found}`);
    }
  }
}
