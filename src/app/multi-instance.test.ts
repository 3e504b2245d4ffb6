import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConfigInput } from '../config/index.js';
import { describeWithPostgres, describeWithRedis } from '../store/test-support/services.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { startTestServer, type TestServer } from './test-support/harness.js';

describeWithRedis('three instances sharing Redis', (redisUrl) => {
  describeWithPostgres('and PostgreSQL', (databaseUrl) => {
    let simulator: UpstreamSimulator;
    const schemas: string[] = [];

    beforeAll(async () => {
      simulator = await startUpstreamSimulator({ answerTokens: 8, tokensPerSecond: 40 });
    });
    afterAll(async () => {
      await simulator.close();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });

    /** Three instances on one Redis prefix and one PostgreSQL schema, as behind a load balancer. */
    async function cluster(limits: ConfigInput['limits']) {
      const tag = randomBytes(4).toString('hex');
      const schema = `rampart_test_${tag}`;
      schemas.push(schema);
      const config: ConfigInput = {
        state: { backend: 'redis', url: redisUrl, keyPrefix: `rampart-test:${tag}:` },
        records: { backend: 'postgres', url: databaseUrl, schema },
        providers: { upstream: { type: 'openai', baseUrl: `${simulator.url}/v1` } },
        models: { shared: { provider: 'upstream', model: 'rampart-sim-1' } },
        assistants: { default: { model: 'shared', tools: ['calculator'] } },
        limits,
      };
      const instances = await Promise.all([1, 2, 3].map(() => startTestServer({ config })));
      const key = await instances[0]!.key('alice');
      return {
        instances,
        key,
        close: async () => {
          await Promise.all(instances.map((instance) => instance.close()));
        },
      };
    }

    function post(instance: TestServer, key: string, path: string, body: unknown) {
      return fetch(`${instance.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    }

    const chat = { model: 'shared', messages: [{ role: 'user', content: 'hello' }] };

    it('continues a session on whichever instance gets the next turn', async () => {
      const { instances, key, close } = await cluster({});
      try {
        const [a, b, c] = instances as [TestServer, TestServer, TestServer];
        const { id } = (await (await post(a, key, '/v1/sessions', {})).json()) as { id: string };
        expect(
          (await post(a, key, `/v1/sessions/${id}/messages`, { content: 'first' })).status,
        ).toBe(200);
        const second = await post(b, key, `/v1/sessions/${id}/messages`, { content: 'second' });
        expect(second.status).toBe(200);
        const session = (await (
          await fetch(`${c.url}/v1/sessions/${id}`, { headers: { authorization: `Bearer ${key}` } })
        ).json()) as { messages: Array<{ role: string; content: string }> };
        expect(session.messages.map((message) => message.role)).toEqual([
          'user',
          'assistant',
          'user',
          'assistant',
        ]);
        expect(session.messages[2]!.content).toBe('second');
        const bob = await c.key('bob');
        const foreign = await fetch(`${a.url}/v1/sessions/${id}`, {
          headers: { authorization: `Bearer ${bob}` },
        });
        expect(foreign.status).toBe(404);
      } finally {
        await close();
      }
    });

    it('admits N requests per minute in total across the three, not 3N', async () => {
      const { instances, key, close } = await cluster({
        default: { requestsPerMinute: 5 },
        queue: { maxWaitMs: 0 },
      });
      try {
        const statuses = await Promise.all(
          Array.from({ length: 15 }, (_, index) =>
            post(instances[index % 3]!, key, '/v1/chat/completions', chat).then(
              async (response) => {
                await response.text();
                return response.status;
              },
            ),
          ),
        );
        expect(statuses.filter((status) => status === 200)).toHaveLength(5);
        expect(statuses.filter((status) => status === 429)).toHaveLength(10);
      } finally {
        await close();
      }
    });

    it('never runs more than K model calls at once anywhere', async () => {
      const { instances, key, close } = await cluster({
        global: { maxConcurrentModelCalls: 2 },
        queue: { maxWaitMs: 30_000 },
      });
      try {
        simulator.reset();
        const statuses = await Promise.all(
          Array.from({ length: 12 }, (_, index) =>
            post(instances[index % 3]!, key, '/v1/chat/completions', chat).then(
              async (response) => {
                await response.text();
                return response.status;
              },
            ),
          ),
        );
        expect(statuses.every((status) => status === 200)).toBe(true);
        expect(simulator.stats().requests).toBe(12);
        expect(simulator.stats().peakInFlight).toBe(2);
      } finally {
        await close();
      }
    });
  });
});
