import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import type { ConfigInput } from '../config/index.js';
import { describeWithPostgres, describeWithRedis } from '../store/test-support/services.js';
import { startTestServer } from './test-support/harness.js';
import { ROUTING_CONFIG } from './test-support/routing-config.js';
import { newSession, postJson, sessionMessage } from './test-support/session-client.js';

describeWithRedis('routing across two instances sharing Redis', (redisUrl) => {
  describeWithPostgres('and PostgreSQL', (databaseUrl) => {
    const schemas: string[] = [];
    afterAll(async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });

    it('keeps escalation and ratings in the shared session, whichever instance serves a turn', async () => {
      const tag = randomBytes(4).toString('hex');
      const schema = `rampart_test_${tag}`;
      schemas.push(schema);
      const config: ConfigInput = {
        ...ROUTING_CONFIG,
        state: { backend: 'redis', url: redisUrl, keyPrefix: `rampart-test:${tag}:` },
        records: { backend: 'postgres', url: databaseUrl, schema },
      };
      const [a, b] = await Promise.all([startTestServer({ config }), startTestServer({ config })]);
      try {
        const key = await a.key('alice');
        const session = await newSession(a, key);
        await sessionMessage(a, key, session, 'call calculator {"expression": "1 / 0"}');
        const escalated = await sessionMessage(b, key, session, 'Thanks.');
        expect(escalated.body.routing.escalation).toMatchObject({ escalated: true, turns_left: 2 });
        const sticky = await sessionMessage(a, key, session, 'And now?');
        expect(sticky.body.routing).toMatchObject({
          tier: 'large',
          escalation: { sticky: true, turns_left: 1 },
        });
        // Message 3 answers the first turn (after its tool call and the call's result).
        const rated = await postJson(b, key, `/v1/sessions/${session}/feedback`, {
          message_index: 3,
          rating: 'down',
        });
        expect(rated.status).toBe(201);
        const after = await sessionMessage(a, key, session, 'Better?');
        expect(after.body.routing.escalation).toMatchObject({
          escalated: true,
          signals: [{ signal: 'down-rating', detail: '1 new down-ratings' }],
          turns_left: 2,
        });
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
});
