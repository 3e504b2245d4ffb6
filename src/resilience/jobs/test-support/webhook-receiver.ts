import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the receiver saw it. */
export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers the n-th request (0-based); may leave the response open to play a hung receiver. */
export type Answer = (response: ServerResponse, index: number, received: ReceivedWebhook) => void;

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Connections still open, so a test can see the client hang up. */
  openSockets: () => number;
  close: () => Promise<void>;
}

/** A real HTTP server on 127.0.0.1, port 0, recording every request it gets. */
export async function startWebhookReceiver(answer: Answer): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      answer(response, received.length - 1, entry);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    openSockets: () => sockets.size,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers with a status and an empty body. */
export function status(code: number, response: ServerResponse): void {
  response.writeHead(code, { 'content-type': 'text/plain' }).end();
}
