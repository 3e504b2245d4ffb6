import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One step of a scripted response body: bytes to write, or a pause. */
export type ScriptStep = string | Uint8Array | { wait: number };

/** How a scripted upstream answers one request. */
export interface ResponseScript {
  status?: number;
  headers?: Record<string, string>;
  /** Sends no headers at all: the request hangs until the client gives up. */
  hangBeforeHeaders?: boolean;
  /** Waits this long before sending the headers. */
  headersDelayMs?: number;
  steps?: readonly ScriptStep[];
  /** After the steps: end the response, cut the connection, or leave it open. Default `end`. */
  then?: 'end' | 'cut' | 'hang';
}

/** What the server saw of one request. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The client's port: two requests with the same one came over one connection. */
  remotePort: number | undefined;
  /** Resolves when the connection that carried this request closes. */
  closed: Promise<void>;
  /** Resolves when the whole response has been handed to the connection. */
  answered: Promise<void>;
}

export interface ScriptServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1, port 0, that answers each request from a script: status and
 * headers, then body writes with pauses between them (so they arrive as separate network reads),
 * then an end, a cut connection or a hang.
 */
export async function startScriptServer(
  scripts: ResponseScript | ((request: RecordedRequest, index: number) => ResponseScript),
): Promise<ScriptServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const recorded = await record(request, response);
    requests.push(recorded);
    const script = typeof scripts === 'function' ? scripts(recorded, requests.length - 1) : scripts;
    await play(script, response);
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function record(
  request: IncomingMessage,
  response: ServerResponse,
): Promise<RecordedRequest> {
  const answered = new Promise<void>((resolve) => response.once('finish', () => resolve()));
  const closed = new Promise<void>((resolve) => request.socket.once('close', () => resolve()));
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return {
    method: request.method ?? '',
    url: request.url ?? '',
    headers: request.headers,
    body: Buffer.concat(chunks).toString('utf8'),
    remotePort: request.socket.remotePort,
    closed,
    answered,
  };
}

async function play(script: ResponseScript, response: ServerResponse): Promise<void> {
  if (script.hangBeforeHeaders === true) return;
  if (script.headersDelayMs !== undefined) await sleep(script.headersDelayMs);
  response.writeHead(script.status ?? 200, {
    'content-type': 'text/event-stream',
    ...script.headers,
  });
  response.flushHeaders();
  for (const step of script.steps ?? []) {
    if (response.destroyed) return;
    if (typeof step === 'object' && 'wait' in step) await sleep(step.wait);
    else response.write(step);
  }
  if (script.then === 'cut') response.socket?.destroy();
  else if (script.then !== 'hang') response.end();
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Writes with a short pause between them, so each reaches the client as its own read. */
export function separateReads(pieces: readonly (string | Uint8Array)[], pauseMs = 3): ScriptStep[] {
  return pieces.flatMap((piece, index) => (index === 0 ? [piece] : [{ wait: pauseMs }, piece]));
}
