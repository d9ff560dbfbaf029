import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A request as the server saw it. */
export interface ServerRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** Answer a request yourself (return true), or let the default handling run (return false/undefined). */
export type Route = (
  request: ServerRequest,
  response: ServerResponse,
) => boolean | void | Promise<boolean | void>;

const distDirectory = join(import.meta.dirname, '..', '..', 'dist');
const nodeModules = join(import.meta.dirname, '..', '..', 'node_modules');

/**
 * A real HTTP server on 127.0.0.1 and a free port. It records every request; serves `dist/` at
 * `/dist/`, npm packages at `/node_modules/`, pages added with `page()`, answers
 * `POST /loupe/log` with 204, and everything else with 200 "ok".
 */
export async function startServer(route?: Route) {
  const requests: ServerRequest[] = [];
  const pages = new Map<string, { body: string; headers: Record<string, string> }>();
  const waiters = new Set<() => void>();
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: ServerRequest = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    };
    requests.push(request);
    for (const wake of [...waiters]) wake();
    try {
      if (route && (await route(request, response))) return;
      const pathname = request.path.split('?')[0] as string;
      const page = pages.get(pathname);
      if (page) {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...page.headers });
        response.end(page.body);
      } else if (pathname.startsWith('/dist/') || pathname.startsWith('/node_modules/')) {
        const root = pathname.startsWith('/dist/') ? distDirectory : nodeModules;
        const file = join(root, pathname.replace(/^\/(dist|node_modules)\//, ''));
        const body = await readFile(file);
        response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
        response.end(body);
      } else if (request.method === 'POST' && pathname === '/loupe/log') {
        response.writeHead(204);
        response.end();
      } else {
        response.writeHead(200, { 'Content-Type': 'text/plain' });
        response.end('ok');
      }
    } catch (error) {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const logRequests = () =>
    requests.filter(
      (request) => request.method === 'POST' && request.path.split('?')[0] === '/loupe/log',
    );

  return {
    origin,
    port,
    requests,
    logRequests,
    /** Every message the server received, in arrival order. */
    logMessages: () =>
      logRequests().flatMap((request) => {
        try {
          return JSON.parse(request.body).logMessages as any[];
        } catch {
          return [];
        }
      }),
    /** Serve `body` as an HTML page at `path`. */
    page(path: string, body: string, headers: Record<string, string> = {}) {
      pages.set(path, { body, headers });
      return origin + path;
    },
    /** Resolves when `predicate` holds, checked on every request; rejects after `timeout` ms. */
    waitFor(predicate: () => boolean, timeout = 10_000): Promise<void> {
      if (predicate()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('timed out waiting for the server to see the expected requests'));
        }, timeout);
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type TestServer = Awaited<ReturnType<typeof startServer>>;
