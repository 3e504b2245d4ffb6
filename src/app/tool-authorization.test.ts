import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../tools/index.js';
import { readSse, startTestServer, type TestServer } from './test-support/harness.js';
import { scrapeMetrics, scrapeMetricsWhen } from './test-support/metrics-scrape.js';
import { sampleValue, type Sample } from './test-support/prometheus-text.js';
import { getJson, newSession, postJson, sessionMessage } from './test-support/session-client.js';

/** Calls each tool's handler actually received, by tool. */
const ran: Record<string, unknown[]> = {};

function recordingTool(
  name: string,
  answer: (args: Record<string, unknown>) => unknown,
): ToolDefinition {
  return {
    name,
    parameters: { type: 'object' },
    handler: (args) => {
      (ran[name] ??= []).push(args);
      return Promise.resolve(answer(args as Record<string, unknown>));
    },
  };
}

/** The session's messages as stored at rest, read from the server's own database file. */
function storedBodies(session: string): string[] {
  const database = new Database(join(server.dataDir, 'rampart.db'), { readonly: true });
  try {
    const rows = database
      .prepare('SELECT body FROM session_messages WHERE session_id = ? ORDER BY seq')
      .all(session) as { body: string }[];
    return rows.map((row) => row.body);
  } finally {
    database.close();
  }
}

const RECORDS: Record<string, string> = { 'rec-alice': 'alice', 'rec-bob': 'bob' };

let server: TestServer;
let analyst: string;
let plainUser: string;
let admin: string;

beforeAll(async () => {
  server = await startTestServer({
    config: {
      providers: {
        simulated: {
          type: 'simulated',
          firstTokenMs: 0,
          tokensPerSecond: 0,
          // A turn whose user message says so fails before anything is shown.
          faults: [{ kind: 'status', status: 500, match: 'EXPLODE' }],
        },
      },
      assistants: {
        default: {
          model: 'rampart-sim-1',
          tools: ['query_table', 'read_record', 'refund', 'no_policy_tool'],
        },
      },
      authorization: {
        tools: {
          query_table: { roles: ['analyst'], arguments: { table: { inPermissions: 'table' } } },
          read_record: { arguments: { id: { resolver: 'owns-record', required: true } } },
          refund: { confirm: true },
        },
      },
    },
    tools: [
      recordingTool('query_table', (args) => ({ rows: 3, table: args.table })),
      recordingTool('read_record', (args) => ({ id: args.id, body: 'record body' })),
      recordingTool('refund', (args) => ({ refunded: args.amount })),
      recordingTool('no_policy_tool', () => 'ran'),
    ],
    resolvers: {
      'owns-record': ({ value, principal }) => RECORDS[String(value)] === principal.userId,
    },
  });
  const keys = server.rampart.keys;
  analyst = (
    await keys.create({
      userId: 'alice',
      role: 'analyst',
      tier: 'standard',
      permissions: ['table:orders'],
    })
  ).key;
  plainUser = (
    await keys.create({ userId: 'bob', role: 'user', tier: 'standard', permissions: [] })
  ).key;
  admin = (await keys.create({ userId: 'root', role: 'admin', tier: 'standard', permissions: [] }))
    .key;
});
afterAll(() => server.close());
beforeEach(() => {
  for (const name of Object.keys(ran)) delete ran[name];
});

const post = (key: string, path: string, body: unknown) => postJson(server, key, path, body);

async function say(key: string, session: string, content: string): Promise<any> {
  const { response, body } = await sessionMessage(server, key, session, content);
  expect(response.status).toBe(200);
  return body;
}

async function auditEntries(query = ''): Promise<any[]> {
  const response = await fetch(`${server.url}/v1/audit${query}`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: any[] }).data;
}

function toolResult(body: any, name: string): any {
  const call = body.messages
    .flatMap((message: any) => message.tool_calls ?? [])
    .find((c: any) => c.function.name === name);
  return body.messages.find(
    (message: any) => message.role === 'tool' && message.tool_call_id === call.id,
  );
}

describe('tool authorization in the tool runner', () => {
  it('never runs a tool for a role that may not call it; the model gets the denial; the audit log has it', async () => {
    const session = await newSession(server, plainUser);
    const body = await say(plainUser, session, 'call query_table {"table": "orders"}');
    expect(ran.query_table).toBeUndefined();
    const result = toolResult(body, 'query_table');
    expect(result.is_error).toBe(true);
    expect(JSON.parse(result.content).error.code).toBe('RAMPART_TOOL_DENIED');
    // The simulated model answers from the tool results it was given: the denial reached it.
    expect(body.message.content).toContain('RAMPART_TOOL_DENIED');
    const [entry] = await auditEntries('?user=bob&tool=query_table');
    expect(entry).toMatchObject({
      verdict: 'denied',
      rule: 'role',
      session_id: session,
      key_id: expect.any(String),
    });
    expect(entry.arguments_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps arguments within what the principal holds', async () => {
    const session = await newSession(server, analyst);
    await say(analyst, session, 'call query_table {"table": "salaries"}');
    expect(ran.query_table).toBeUndefined();
    await say(analyst, session, 'call query_table {"table": "orders"}');
    expect(ran.query_table).toEqual([{ table: 'orders' }]);
    const entries = await auditEntries('?user=alice&tool=query_table');
    expect(entries.map((entry) => entry.verdict)).toEqual(['allowed', 'denied']);
    expect(entries[1].rule).toBe('argument:table');
  });

  it("refuses another user's record through the resolver", async () => {
    const session = await newSession(server, analyst);
    const body = await say(analyst, session, 'call read_record {"id": "rec-bob"}');
    expect(ran.read_record).toBeUndefined();
    expect(JSON.parse(toolResult(body, 'read_record').content).error.code).toBe(
      'RAMPART_TOOL_DENIED',
    );
    await say(analyst, session, 'call read_record {"id": "rec-alice"}');
    expect(ran.read_record).toEqual([{ id: 'rec-alice' }]);
  });

  it('denies a tool without a policy by default', async () => {
    const session = await newSession(server, analyst);
    await say(analyst, session, 'call no_policy_tool {}');
    expect(ran.no_policy_tool).toBeUndefined();
    const [entry] = await auditEntries('?tool=no_policy_tool');
    expect(entry).toMatchObject({ verdict: 'denied', rule: 'no-policy' });
  });

  it('keeps the audit log to admins', async () => {
    const response = await fetch(`${server.url}/v1/audit`, {
      headers: { authorization: `Bearer ${plainUser}` },
    });
    expect(response.status).toBe(403);
  });

  it('names the query string, not the body, when a filter is unknown', async () => {
    const response = await fetch(`${server.url}/v1/audit?foo=bar`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toMatch(/^Invalid query string: .*foo/);
  });
});

describe('tools that need the user to confirm', () => {
  it('pauses the turn, runs the call only after approval, and continues the answer', async () => {
    const session = await newSession(server, plainUser);
    const paused = await say(plainUser, session, 'call refund {"order": "o-1", "amount": 5}');
    expect(ran.refund).toBeUndefined();
    expect(paused.finish_reason).toBe('tool_calls');
    const [pending] = paused.pending_tool_calls;
    expect(pending).toMatchObject({ type: 'function', function: { name: 'refund' } });

    const view = await getJson(server, plainUser, `/v1/sessions/${session}`);
    expect(view.pending_tool_calls.map((call: any) => call.id)).toEqual([pending.id]);

    const decided = await post(plainUser, `/v1/sessions/${session}/tool-decisions`, {
      decisions: [{ tool_call_id: pending.id, approve: true }],
    });
    expect(decided.status).toBe(200);
    const body = (await decided.json()) as any;
    expect(ran.refund).toEqual([{ order: 'o-1', amount: 5 }]);
    expect(body.finish_reason).toBe('stop');
    expect(body.pending_tool_calls).toEqual([]);
    expect(body.message.content).toContain('refunded');
    const verdicts = (await auditEntries(`?session=${session}`)).map((entry) => entry.verdict);
    expect(verdicts).toEqual(['approved', 'confirmation-required']);
  });

  it('shows a waiting call redacted, yet runs exactly the call the model asked for', async () => {
    const session = await newSession(server, plainUser);
    const card = '4111 1111 1111 1111';
    const paused = await say(plainUser, session, `call refund {"order": "o-5", "card": "${card}"}`);
    const [pending] = paused.pending_tool_calls;
    // The last four digits stay in sight: the user must be able to tell which card it names.
    expect(JSON.parse(pending.function.arguments)).toEqual({
      order: 'o-5',
      card: '[REDACTED:card …1111]',
    });
    const view = await getJson(server, plainUser, `/v1/sessions/${session}`);
    // The user's own message keeps what they typed; what the model wrote is shown redacted.
    const written = view.messages.filter((message: any) => message.role !== 'user');
    expect(JSON.stringify([written, view.pending_tool_calls])).not.toContain(card);
    const decided = await post(plainUser, `/v1/sessions/${session}/tool-decisions`, {
      decisions: [{ tool_call_id: pending.id, approve: true }],
    });
    expect(decided.status).toBe(200);
    expect(ran.refund).toEqual([{ order: 'o-5', card }]);
    const [approved, asked] = await auditEntries(`?session=${session}`);
    expect([approved.verdict, asked.verdict]).toEqual(['approved', 'confirmation-required']);
    expect(approved.arguments_digest).toBe(asked.arguments_digest);
    // The call has run: only the user's own message, as typed, still holds the card at rest.
    const holding = storedBodies(session).filter((body) => body.includes(card));
    expect(holding.map((body) => JSON.parse(body).role)).toEqual(['user']);
  });

  it('shows every argument of a waiting call, though one holds a private key header', async () => {
    // Redacted over the whole text, an unterminated key header took the rest of the arguments
    // with it, and the user was asked to approve an amount they could not see.
    const session = await newSession(server, plainUser);
    const header = '-----BEGIN PRIVATE KEY-----';
    const paused = await say(
      plainUser,
      session,
      `call refund {"order": "${header}", "amount": 99999}`,
    );
    const [pending] = paused.pending_tool_calls;
    expect(JSON.parse(pending.function.arguments)).toEqual({
      order: '[REDACTED:secret]',
      amount: 99999,
    });
    const view = await getJson(server, plainUser, `/v1/sessions/${session}`);
    expect(JSON.parse(view.pending_tool_calls[0].function.arguments)).toEqual({
      order: '[REDACTED:secret]',
      amount: 99999,
    });
    expect(ran.refund).toBeUndefined();
  });

  it('keeps the card for the approval while the call waits, and drops it once declined', async () => {
    const session = await newSession(server, plainUser);
    const card = '4111 1111 1111 1111';
    await say(plainUser, session, `call refund {"order": "o-6", "card": "${card}"}`);
    // The user's own message holds it as typed; the model's call holds it for the approval.
    expect(storedBodies(session).filter((body) => body.includes(card))).toHaveLength(2);
    await say(plainUser, session, 'never mind, hello');
    expect(storedBodies(session).filter((body) => body.includes(card))).toHaveLength(1);
    expect(ran.refund).toBeUndefined();
  });

  it('never runs a declined call, and tells the model it was declined', async () => {
    const session = await newSession(server, plainUser);
    const paused = await say(plainUser, session, 'call refund {"order": "o-2", "amount": 9}');
    const id = paused.pending_tool_calls[0].id;
    const decided = await post(plainUser, `/v1/sessions/${session}/tool-decisions`, {
      decisions: [{ tool_call_id: id, approve: false }],
    });
    const body = (await decided.json()) as any;
    expect(ran.refund).toBeUndefined();
    const result = body.messages.find((message: any) => message.tool_call_id === id);
    expect(JSON.parse(result.content).error.code).toBe('RAMPART_TOOL_DECLINED');
    const verdicts = (await auditEntries(`?session=${session}`)).map((entry) => entry.verdict);
    expect(verdicts).toEqual(['rejected', 'confirmation-required']);
  });

  it('audits a waiting call as rejected when its session is deleted', async () => {
    const session = await newSession(server, plainUser);
    const card = '4111 1111 1111 1111';
    await say(plainUser, session, `call refund {"order": "o-7", "card": "${card}"}`);
    const deleted = await fetch(`${server.url}/v1/sessions/${session}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${plainUser}` },
    });
    expect(deleted.status).toBe(200);
    const [rejected, asked] = await auditEntries(`?session=${session}`);
    expect([rejected.verdict, asked.verdict]).toEqual(['rejected', 'confirmation-required']);
    expect(rejected.reason).toMatch(/session was deleted/);
    expect(rejected.arguments_digest).toBe(asked.arguments_digest);
    expect(ran.refund).toBeUndefined();
  });

  it('declines waiting calls when the user sends a new message instead', async () => {
    const session = await newSession(server, plainUser);
    await say(plainUser, session, 'call refund {"order": "o-3", "card": "4111 1111 1111 1111"}');
    const next = await say(plainUser, session, 'never mind, hello');
    // The decline is audited for the very call that waited, not its redacted view.
    const [declined, asked] = await auditEntries(`?session=${session}`);
    expect([declined.verdict, asked.verdict]).toEqual(['rejected', 'confirmation-required']);
    expect(declined.arguments_digest).toBe(asked.arguments_digest);
    expect(next.finish_reason).toBe('stop');
    expect(ran.refund).toBeUndefined();
    const view = await getJson(server, plainUser, `/v1/sessions/${session}`);
    expect(view.pending_tool_calls).toEqual([]);
    const roles = view.messages.map((message: any) => message.role);
    expect(roles).toEqual(['user', 'assistant', 'tool', 'user', 'assistant']);
    expect(JSON.parse(view.messages[2].content).error.code).toBe('RAMPART_TOOL_DECLINED');
  });

  it('records no decline when the turn that would decline the call is taken back', async () => {
    const session = await newSession(server, plainUser);
    const paused = await say(plainUser, session, 'call refund {"order": "o-9", "amount": 3}');
    const id = paused.pending_tool_calls[0].id;
    // The new message would decline the call, but the model fails before anything is shown:
    // nothing is stored, and the call still waits.
    const { response } = await sessionMessage(server, plainUser, session, 'EXPLODE, please');
    expect(response.status).toBeGreaterThanOrEqual(500);
    const view = await getJson(server, plainUser, `/v1/sessions/${session}`);
    expect(view.pending_tool_calls.map((call: any) => call.id)).toEqual([id]);
    const verdicts = (await auditEntries(`?session=${session}`)).map((entry) => entry.verdict);
    expect(verdicts).toEqual(['confirmation-required']);
    // Declined for real, it is on record once.
    await say(plainUser, session, 'never mind');
    const after = (await auditEntries(`?session=${session}`)).map((entry) => entry.verdict);
    expect(after).toEqual(['rejected', 'confirmation-required']);
  });

  it('counts a call that waited once, as what it became, and an answer to it as no retry', async () => {
    const refunds = (samples: Sample[]) => {
      const count = (outcome: string) =>
        sampleValue(samples, 'rampart_tool_calls_total', { tool: 'refund', outcome });
      return { ok: count('ok'), denied: count('denied'), error: count('error') };
    };
    const retries = (samples: Sample[]) => sampleValue(samples, 'rampart_retries_total');
    const before = await scrapeMetrics(server.url);
    for (const approve of [true, false]) {
      const session = await newSession(server, plainUser);
      const paused = await say(plainUser, session, 'call refund {"order": "o-6", "amount": 1}');
      const decided = await post(plainUser, `/v1/sessions/${session}/tool-decisions`, {
        decisions: [{ tool_call_id: paused.pending_tool_calls[0].id, approve }],
      });
      expect(decided.status).toBe(200);
    }
    // A new message instead of a decision declines the waiting call: counted as denied too.
    const movedOn = await newSession(server, plainUser);
    await say(plainUser, movedOn, 'call refund {"order": "o-7", "amount": 1}');
    await say(plainUser, movedOn, 'never mind');
    const was = refunds(before);
    const want = { ok: was.ok + 1, denied: was.denied + 2, error: was.error };
    const after = await scrapeMetricsWhen(server.url, (samples) =>
      isDeepStrictEqual(refunds(samples), want),
    );
    expect(refunds(after)).toEqual(want);
    expect(retries(after)).toBe(retries(before));
  });

  it('streams the pause and refuses decisions that do not match the waiting calls', async () => {
    const session = await newSession(server, plainUser);
    const response = await post(plainUser, `/v1/sessions/${session}/messages`, {
      content: 'call refund {"order": "o-4", "amount": 2}',
      stream: true,
    });
    const events = await readSse(response);
    const end = events.find((event) => event.event === 'turn-end');
    const toolEnd = events.find((event) => event.event === 'tool-end');
    expect(JSON.parse(toolEnd!.data).error_code).toBe('RAMPART_TOOL_CONFIRMATION_REQUIRED');
    const pending = JSON.parse(end!.data).pending_tool_calls;
    expect(pending).toHaveLength(1);

    const wrong = await post(plainUser, `/v1/sessions/${session}/tool-decisions`, {
      decisions: [{ tool_call_id: 'call_unknown', approve: true }],
    });
    expect(wrong.status).toBe(400);
    const other = await newSession(server, plainUser);
    const none = await post(plainUser, `/v1/sessions/${other}/tool-decisions`, {
      decisions: [{ tool_call_id: pending[0].id, approve: true }],
    });
    expect(none.status).toBe(409);
    // Another user cannot decide on this session's calls: it does not exist for them.
    const stranger = await post(analyst, `/v1/sessions/${session}/tool-decisions`, {
      decisions: [{ tool_call_id: pending[0].id, approve: true }],
    });
    expect(stranger.status).toBe(404);
    expect(ran.refund).toBeUndefined();
  });
});

describe('policy config checked at start', () => {
  it('refuses a policy for a tool that does not exist, naming the key', async () => {
    const started = startTestServer({ config: { authorization: { tools: { nope: {} } } } });
    await expect(started).rejects.toThrow(/authorization\.tools\.nope.*no tool named "nope"/);
  });

  it('refuses a resolver no code registered', async () => {
    const started = startTestServer({
      config: {
        authorization: {
          tools: { calculator: { arguments: { expression: { resolver: 'ghost' } } } },
        },
      },
    });
    await expect(started).rejects.toThrow(/no resolver named "ghost"/);
  });

  it('refuses a pattern that is not a regular expression', async () => {
    const started = startTestServer({
      config: {
        authorization: { tools: { calculator: { arguments: { expression: { pattern: '(' } } } } },
      },
    });
    await expect(started).rejects.toThrow(/pattern/);
  });
});
