// The bench's HTTP server on 127.0.0.1: serves the pages, the built agent and the older agent's
// bundle, and counts every POST /loupe/log (requests, bytes on the wire, messages).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const projectRoot = join(import.meta.dirname, '..', '..');
export const legacyBundle = join(
  projectRoot,
  'node_modules/@gibraltarsoftware/loupe-typescript/dist/loupe.typescript.js',
);

/** Wall-clock milliseconds with sub-millisecond precision, comparable with a page's. */
export const epochNow = () => performance.timeOrigin + performance.now();

/** Bytes of the request line and headers as they came over the socket (HTTP/1.1). */
function headerBytes(request) {
  let bytes = `${request.method} ${request.url} HTTP/${request.httpVersion}\r\n`.length + 2;
  const raw = request.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    bytes += Buffer.byteLength(raw[index]) + 2 + Buffer.byteLength(raw[index + 1]) + 2;
  }
  return bytes;
}

function countMessages(body) {
  try {
    const messages = JSON.parse(body).logMessages;
    return Array.isArray(messages) ? messages : [];
  } catch {
    return [];
  }
}

export async function startBenchServer() {
  const pages = new Map();
  const waiters = new Set();
  /** Every /loupe/log request that was answered while accepting. */
  let logs = [];
  let accepting = true;

  const server = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (path === '/loupe/log') {
        // "Server down": the connection drops, which the agents see as status 0 (keep and retry).
        if (!accepting) return void request.socket.destroy();
        const messages = countMessages(body.toString('utf8'));
        logs.push({
          at: epochNow(),
          bodyBytes: body.length,
          wireBytes: headerBytes(request) + body.length,
          messages: messages.length,
          categories: messages.map((message) => message?.category),
        });
        for (const wake of [...waiters]) wake();
        response.writeHead(204).end();
      } else if (pages.has(path)) {
        const { html, headers } = pages.get(path);
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
        response.end(html);
      } else if (path.startsWith('/dist/') && !path.includes('..')) {
        const file = await readFile(join(projectRoot, path));
        response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
        response.end(file);
      } else if (path === '/legacy/loupe.typescript.js') {
        response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
        response.end(await readFile(legacyBundle));
      } else {
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      }
    } catch (error) {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  const totals = () => ({
    requests: logs.length,
    bodyBytes: logs.reduce((sum, log) => sum + log.bodyBytes, 0),
    wireBytes: logs.reduce((sum, log) => sum + log.wireBytes, 0),
    messages: logs.reduce((sum, log) => sum + log.messages, 0),
    firstAt: logs[0]?.at,
    lastAt: logs.at(-1)?.at,
  });

  /** Resolves true when `predicate` holds (checked on every log request), false after `timeout`. */
  const waitFor = (predicate, timeout) =>
    new Promise((resolve) => {
      if (predicate()) return resolve(true);
      const done = (result) => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve(result);
      };
      const check = () => predicate() && done(true);
      const timer = setTimeout(() => done(false), timeout);
      waiters.add(check);
    });

  /** Resolves once no log request has arrived for `quiet` ms, or after `timeout` ms in all. */
  const waitQuiet = async (quiet, timeout) => {
    const end = Date.now() + timeout;
    for (;;) {
      const count = logs.length;
      const left = end - Date.now();
      if (left <= 0) return false;
      const arrived = await waitFor(() => logs.length > count, Math.min(quiet, left));
      if (!arrived) return Date.now() < end;
    }
  };

  return {
    origin,
    /** Serve `html` at `path` with extra response `headers`; returns the page's URL. */
    page(path, html, headers = {}) {
      pages.set(path, { html, headers });
      return origin + path;
    },
    /** Forget the log requests seen so far. */
    reset() {
      logs = [];
    },
    /** While false, every /loupe/log request has its connection dropped. */
    setAccepting(value) {
      accepting = value;
    },
    logs: () => logs,
    totals,
    waitFor,
    waitQuiet,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
