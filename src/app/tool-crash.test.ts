import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createKeyWithCli, spawnRampart, type SpawnedRampart } from './test-support/spawned.js';

const LEASE_MS = 1_500;

/** The booking service the tool calls: it records every booking and can hold its answer. */
const bookings: string[] = [];
let hold = true;
const held: ServerResponse[] = [];
let service: Server;
let serviceUrl: string;

function book(request: IncomingMessage, response: ServerResponse) {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    bookings.push(body);
    if (hold) {
      held.push(response);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ booked: JSON.parse(body).room }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'rampart-tool-crash-'));
const file = join(dir, 'rampart.yaml');
const place = { config: file, dataDir: dir };
let instance: SpawnedRampart | undefined;

async function serve(): Promise<string> {
  // One server at a time: the one before is ended first, or it would outlive the tests.
  await instance?.kill();
  instance = await spawnRampart(place);
  return instance.url;
}

beforeAll(async () => {
  service = createServer(book);
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  const config = {
    providers: { simulated: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 0 } },
    sessions: { turnLeaseMs: LEASE_MS },
    tools: {
      book_room: {
        description: 'Books a meeting room',
        parameters: { type: 'object', properties: { room: { type: 'string' } } },
        handler: { type: 'http', url: `${serviceUrl}/book` },
      },
      pay: {
        description: 'Pays with a card',
        parameters: { type: 'object', properties: { card: { type: 'string' } } },
        handler: { type: 'http', url: `${serviceUrl}/pay` },
      },
    },
    assistants: { default: { model: 'rampart-sim-1', tools: ['book_room', 'pay'] } },
    authorization: { unlisted: 'allow', tools: { pay: { confirm: true } } },
    log: { level: 'info' },
  };
  writeFileSync(file, stringify(config));
});

afterAll(async () => {
  await instance?.kill();
  for (const response of held) response.destroy();
  await new Promise((resolve) => service.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('a process killed while a tool with side effects runs', () => {
  it('never runs the call again: the retried turn goes on with its outcome unknown', async () => {
    const key = createKeyWithCli(place, 'ines');
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    let url = await serve();
    const created = await fetch(`${url}/v1/sessions`, { method: 'POST', headers, body: '{}' });
    const session = ((await created.json()) as { id: string }).id;
    const send = (content: string) =>
      fetch(`${url}/v1/sessions/${session}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ content }),
      });
    const ask = 'call book_room {"room": "4B"}';

    // The turn reaches the tool, whose answer is held; the process dies while it waits.
    const first = send(ask).catch((error: unknown) => error);
    while (bookings.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await instance?.kill();
    expect(await first).toBeInstanceOf(Error);

    // A new process, and the client sends the same message again once the lease has run out.
    hold = false;
    url = await serve();
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    const retried = await send(ask);
    expect(retried.status).toBe(200);
    expect(bookings).toHaveLength(1);

    const view = (await (await fetch(`${url}/v1/sessions/${session}`, { headers })).json()) as any;
    // One user message, the call, its result saying what is known, and the answer after it.
    expect(view.messages.map((message: any) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(view.messages[2].content).toContain('RAMPART_TOOL_INTERRUPTED');
    expect(view.pending_tool_calls).toEqual([]);

    // The next booking is a new call, and it runs.
    const next = await send('call book_room {"room": "5C"}');
    expect(next.status).toBe(200);
    expect(bookings).toHaveLength(2);
    expect(JSON.parse(bookings[1]!)).toEqual({ room: '5C' });
  }, 30_000);
});

describe('a process killed while an approved call runs', () => {
  it('leaves no unredacted copy of the arguments in the session', async () => {
    const key = createKeyWithCli(place, 'omar');
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const url = await serve();
    const created = await fetch(`${url}/v1/sessions`, { method: 'POST', headers, body: '{}' });
    const session = ((await created.json()) as { id: string }).id;
    const card = '4111 1111 1111 1111';
    const paused = await fetch(`${url}/v1/sessions/${session}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ content: `call pay {"card": "${card}"}` }),
    });
    const [call] = ((await paused.json()) as { pending_tool_calls: { id: string }[] })
      .pending_tool_calls;

    // Approved, the call reaches the service, which holds its answer; the process dies.
    hold = true;
    const calls = bookings.length;
    const decided = fetch(`${url}/v1/sessions/${session}/tool-decisions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ decisions: [{ tool_call_id: call!.id, approve: true }] }),
    }).catch((error: unknown) => error);
    while (bookings.length === calls) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(JSON.parse(bookings.at(-1)!)).toEqual({ card });
    await instance?.kill();
    expect(await decided).toBeInstanceOf(Error);

    const database = new Database(join(dir, 'rampart.db'), { readonly: true });
    const bodies = database
      .prepare('SELECT body FROM session_messages WHERE session_id = ? ORDER BY seq')
      .all(session) as { body: string }[];
    database.close();
    const roles = bodies.map((row) => (JSON.parse(row.body) as { role: string }).role);
    expect(roles).toEqual(['user', 'assistant', 'tool']);
    // The user's own message keeps what they typed; nothing else holds the card.
    expect(bodies.filter((row) => row.body.includes(card))).toHaveLength(1);
    expect(bodies[2]!.body).toContain('RAMPART_TOOL_INTERRUPTED');
  }, 30_000);
});
