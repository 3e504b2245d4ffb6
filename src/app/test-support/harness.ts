import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigInput } from '../../config/index.js';
import { createSseParser, type SseEvent } from '../../protocol/sse/index.js';
import type { TurnStage } from '../../runtime/index.js';
import type { ToolDefinition, ToolResolver } from '../../tools/index.js';
import { createRampart, type Rampart } from '../create-rampart.js';

/** A fast simulated provider: no first-token delay, unthrottled tokens. */
export const FAST_SIMULATED = {
  simulated: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 0 },
} as const;

export interface TestServer {
  rampart: Rampart;
  url: string;
  dataDir: string;
  /** Creates a key for a user and returns the secret. */
  key(userId: string, role?: string): Promise<string>;
  close(): Promise<void>;
}

export interface StartOptions {
  config?: ConfigInput;
  tools?: ToolDefinition[];
  resolvers?: Record<string, ToolResolver>;
  stages?: TurnStage[];
  /** Reuse a data directory (to test restarts); a fresh one otherwise. */
  dataDir?: string;
  /** Leave the data directory in place on close. */
  keepData?: boolean;
  /** Environment the instance reads (secrets named in config). Default empty. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The wall clock of monitoring (telemetry, stats, alerts). Default `Date.now`. */
  now?: () => number;
}

/** Starts a real Rampart server on 127.0.0.1, port 0, with a private data directory. */
export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rampart-test-'));
  const rampart = await createRampart({
    config: {
      providers: FAST_SIMULATED,
      ...options.config,
      server: { port: 0, ...options.config?.server },
      log: { level: 'silent', ...options.config?.log },
    },
    env: options.env ?? {},
    overrides: { dataDir },
    tools: options.tools ?? [],
    ...(options.resolvers ? { resolvers: options.resolvers } : {}),
    stages: options.stages ?? [],
    ...(options.now ? { now: options.now } : {}),
  });
  const url = await rampart.listen();
  return {
    rampart,
    url,
    dataDir,
    async key(userId, role = 'user') {
      const created = await rampart.keys.create({
        userId,
        role,
        tier: 'standard',
        permissions: [],
      });
      return created.key;
    },
    async close() {
      await rampart.close();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Reads a whole SSE response body into its events with the project's WHATWG parser. */
export async function readSse(response: Response): Promise<SseEvent[]> {
  const parser = createSseParser();
  const events = parser.push(new Uint8Array(await response.arrayBuffer()));
  const end = parser.end();
  if (end.pending) throw new Error('the stream ended inside an event');
  return events;
}
