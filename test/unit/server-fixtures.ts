import { type IncomingMessage, type Server, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type LoupeServerOptions,
  createLoupeMiddleware,
  createMemoryStore,
} from '../../server/index';

/** A valid log request body using every part of the contract. */
export function validBody() {
  return {
    session: {
      currentAgentSessionId: '6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5',
      client: {
        description: 'Chrome 131 on Linux',
        layout: 'Blink',
        manufacturer: null,
        name: 'Chrome',
        prerelease: null,
        product: null,
        ua: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
        version: '131.0',
        os: { architecture: 64, family: 'Linux', version: '6.1' },
        size: { width: 1280, height: 800 },
      },
    },
    logMessages: [
      {
        severity: 8,
        category: 'Checkout',
        caption: 'Checkout started',
        description: 'The customer has {0} items',
        parameters: [3, { currency: 'EUR' }],
        details: '{"cartId":"C-1042"}',
        methodSourceInfo: { file: 'app.js', class: 'Cart', method: 'start', line: 12, column: 5 },
        timeStamp: '2025-03-01T10:15:30.123+01:00',
        sequence: 1,
        agentSessionId: '6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5',
      },
      {
        severity: 2,
        category: 'JavaScript',
        caption: 'TypeError',
        description: "Cannot read properties of undefined (reading 'percent')",
        exception: {
          message: "Cannot read properties of undefined (reading 'percent')",
          url: 'https://shop.example/app.js',
          stackTrace: ['at applyCoupon (app.js:98:23)', 'at computeTotal (app.js:102:17)'],
          cause: '',
          line: 98,
          column: null,
        },
        timeStamp: '2025-03-01T09:15:31Z',
        sequence: 2,
        sessionId: 'customer-42',
      },
      {
        severity: 16,
        category: 'Trace',
        caption: 'Idle',
        timeStamp: '2025-03-01T09:15:32.5-05:30',
        sequence: 3,
      },
    ],
  };
}

export type Body = ReturnType<typeof validBody>;

/** A real HTTP server on 127.0.0.1 with the Loupe middleware in front of an echo handler. */
export async function startLoupeServer(options: LoupeServerOptions = {}) {
  const store = createMemoryStore();
  const middleware = createLoupeMiddleware({ store, ...options });
  const server = createServer((request, response) =>
    middleware(request, response, () => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ loupe: request.loupe ?? null, path: request.url }));
    }),
  );
  const origin = await listen(server);
  return {
    origin,
    store,
    server,
    /** POST a body (an object is sent as JSON text) to the log endpoint. */
    post(body: unknown, headers: Record<string, string> = {}) {
      return fetch(origin + '/loupe/log', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
        body:
          typeof body === 'string' || body instanceof Uint8Array
            ? (body as string)
            : JSON.stringify(body),
      });
    },
    close: () => close(server),
  };
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * Send a request whose body is written in `chunks` and never finished unless `end` is set: the
 * promise resolves with the response the server sent, even while the body is still open.
 */
export function sendChunks(
  url: string,
  chunks: Buffer[],
  headers: Record<string, string | number>,
  end = false,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(parts).toString('utf8'),
        });
        request.destroy();
      });
    });
    // The server may close the connection while we still write: that is what stopping early means.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    for (const chunk of chunks) request.write(chunk);
    if (end) request.end();
  });
}
