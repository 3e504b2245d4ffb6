import { Cluster, Redis, type ClusterNode } from 'ioredis';
import { RampartError } from '../../core/index.js';

/** A standalone Redis or a Redis Cluster client; the stores work the same over either. */
export type RedisClient = Redis | Cluster;

/** Where Redis is and how patiently to talk to it. */
export interface RedisConnectionOptions {
  /** The server, e.g. `redis://127.0.0.1:6379`. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Use this client instead of connecting; it is left open by `close()`. */
  client?: RedisClient;
  /** Connect to a Redis Cluster through these seed nodes instead of `url`. */
  cluster?: { nodes: ClusterNode[] };
  /** A command with no reply after this long is rejected. Default 1000 ms. */
  commandTimeoutMs?: number;
  /** Connecting (and the first readiness check) fails after this long. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** Receives connection errors (reconnects happen on their own). Default: ignored. */
  onError?: (error: Error) => void;
}

/** An open client and the way to close it. */
export interface RedisConnection {
  client: RedisClient;
  /** Closes the client if this connection opened it. */
  close: () => Promise<void>;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

/**
 * Reconnects with capped exponential backoff, forever, so an instance recovers when Redis comes
 * back; in between, commands fail at once rather than queue.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt - 1, 10), 2_000);
}

/**
 * Opens a client tuned to fail fast: no offline queue (a command while disconnected is rejected
 * at once), one retry per request, and a timeout on every command. The returned promise settles
 * once the client is ready, or rejects when it is not ready within the connect timeout.
 */
export async function connectRedis(options: RedisConnectionOptions): Promise<RedisConnection> {
  if (options.client !== undefined) {
    return { client: options.client, close: () => Promise.resolve() };
  }
  const client = createClient(options);
  // The connection's own error says more than the generic "Connection is closed" that follows.
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
    options.onError?.(error);
  });
  try {
    await withinTimeout(client.connect(), options.connectTimeoutMs ?? 2_000);
  } catch (error) {
    client.disconnect();
    throw unavailable(`Cannot connect to Redis at ${describeTarget(options)}`, lastError ?? error);
  }
  return { client, close: () => quit(client) };
}

/** Where the client connects, for messages: host and port only, never a password. */
function describeTarget(options: RedisConnectionOptions): string {
  if (options.cluster !== undefined)
    return `a cluster of ${options.cluster.nodes.length} seed nodes`;
  try {
    const url = new URL(options.url ?? DEFAULT_URL);
    return `${url.hostname}:${url.port || '6379'}`;
  } catch {
    return 'an unparsable URL';
  }
}

function createClient(options: RedisConnectionOptions): RedisClient {
  const shared = {
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    maxRetriesPerRequest: 1,
  };
  if (options.cluster !== undefined) {
    return new Cluster(options.cluster.nodes, {
      lazyConnect: true,
      enableOfflineQueue: false,
      clusterRetryStrategy: reconnectDelay,
      redisOptions: shared,
    });
  }
  return new Redis(options.url ?? DEFAULT_URL, {
    ...shared,
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: reconnectDelay,
  });
}

async function withinTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Quits politely when connected (pending replies arrive first), else just disconnects. */
async function quit(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

/** A Redis failure as the error callers handle: retryable, HTTP 503. */
export function unavailable(what: string, error: unknown): RampartError {
  const reason = error instanceof Error ? error.message : String(error);
  return new RampartError('RAMPART_STATE_UNAVAILABLE', `${what}: ${reason}`, { cause: error });
}
