import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoupeIds, createLoupeMiddleware } from '../server/index';
import { createViewerApi } from './createViewerApi';
import { openSqliteStore } from './openSqliteStore';
import { recordRequest } from './recordRequest';
import { sendJson } from './sendJson';
import { serveFile } from './serveFile';
import { shortId } from './shortId';
import { createThirdPartyServer } from './createThirdPartyServer';
import type { RequestRecord } from './types';

/** Where and how to run the demo. Every option is optional. */
export interface DemoOptions {
  /**
   * Port of the demo app, the viewer and the log endpoint; when it is in use, the next free one.
   * 0 picks any free port. Default 5687, which the usual development servers leave alone.
   */
  port?: number;
  /**
   * Port of the stand-in third-party API; when it is in use, the next free one. 0 picks any free
   * port. Default: the one after the app's.
   */
  thirdPartyPort?: number;
  /** Folder of the SQLite database `loupe.db`. Default `.loupe-data` in the package folder. */
  dataDirectory?: string;
  /** The package folder, with `dist/` and `node_modules/`. Default: the parent of this file's folder. */
  root?: string;
  /** Receives one line per request the demo's servers answer. Default: silent. */
  log?: (line: string) => void;
}

/** A running demo. */
export interface RunningDemo {
  /** The port the app, the viewer and the log endpoint listen on. */
  port: number;
  /** The port of the third-party API. */
  thirdPartyPort: number;
  demoUrl: string;
  viewerUrl: string;
  logEndpoint: string;
  thirdPartyOrigin: string;
  databaseFile: string;
  /** Stop both servers and close the database. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/**
 * The default port of the demo app: one that the usual development servers (Vite's 5173, 3000,
 * 4200, 8080…) leave alone, so the demo does not collide with the app it serves.
 */
export const DEFAULT_PORT = 5687;
/** How many ports from the one asked for are tried before giving up. */
const PORTS_TRIED = 20;

/**
 * Start the demo: a page using the drop-in script, its backend with the Loupe middleware and an
 * SQLite store, a stand-in third-party API on a second port, and the live session viewer.
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const root = options.root ?? fileURLToPath(new URL('..', import.meta.url));
  const publicFolder = join(root, 'demo', 'public');
  const databaseFile = join(options.dataDirectory ?? join(root, '.loupe-data'), 'loupe.db');
  const port = options.port ?? DEFAULT_PORT;
  const log = options.log;

  const store = openSqliteStore(databaseFile);
  let about = { demoUrl: '', logEndpoint: '', thirdPartyOrigin: '' };
  const viewer = createViewerApi(store, () => about);
  const saveRequest = (record: RequestRecord) => {
    try {
      store.saveRequest(record);
      viewer.changed();
    } catch (error) {
      console.error('Loupe demo: a request could not be recorded:', error);
    }
    log?.(describeRequest(record));
  };

  let appOrigins: string[] = [];
  const thirdParty = createThirdPartyServer(() => appOrigins, saveRequest);
  const app = createServer();
  try {
    const taken = await listenFrom(app, port);
    await listenFrom(thirdParty, options.thirdPartyPort ?? (port ? taken + 1 : 0));
  } catch (error) {
    await Promise.all([closeServer(thirdParty), closeServer(app)]);
    viewer.close();
    store.close();
    throw error;
  }
  const thirdPartyOrigin = `http://${HOST}:${(thirdParty.address() as AddressInfo).port}`;
  const appPort = (app.address() as AddressInfo).port;
  const origin = `http://${HOST}:${appPort}`;
  appOrigins = [origin, `http://localhost:${appPort}`];

  about = {
    demoUrl: origin + '/',
    logEndpoint: origin + '/loupe/log',
    thirdPartyOrigin,
  };
  const loupe = createLoupeMiddleware({
    store: {
      saveBatch(batch) {
        store.saveBatch(batch);
        viewer.changed();
        log?.(`POST /loupe/log  ${batch.messages.length} message(s)  ${describeIds(batch)}`);
      },
    },
  });

  const policy = (connect: string) =>
    `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; ` +
    `connect-src ${connect}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
  const pageOptions = {
    csp: policy(`'self' ${thirdPartyOrigin}`),
    replacements: { THIRD_PARTY_ORIGIN: thirdPartyOrigin },
  };
  const files: Record<string, string> = {
    '/dist/loupe-agent.min.js': join(root, 'dist', 'loupe-agent.min.js'),
    '/dist/loupe-agent.min.js.map': join(root, 'dist', 'loupe-agent.min.js.map'),
    '/vendor/jquery.min.js': join(root, 'node_modules', 'jquery', 'dist', 'jquery.min.js'),
  };

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', origin);
    const ids = request.loupe as LoupeIds;
    const path = url.pathname;
    if (path === '/' || path === '/page-2' || path.startsWith('/api/')) {
      recordRequest(request, response, 'app', ids, saveRequest);
    }
    if (viewer.handle(request, response, url)) return;
    if (path === '/' || path === '/page-2') {
      const page = path === '/' ? 'index.html' : 'page-2.html';
      return serveFile(response, join(publicFolder, page), pageOptions);
    }
    if (path === '/viewer') {
      response.writeHead(301, { Location: '/viewer/' });
      return response.end();
    }
    if (path === '/viewer/') {
      return serveFile(response, join(publicFolder, 'viewer.html'), { csp: policy("'self'") });
    }
    if (path === '/api/greeting') {
      return sendJson(response, 200, {
        greeting: 'Hello from the app server',
        via: url.searchParams.get('via'),
        receivedSessionId: ids.sessionId ?? null,
        receivedAgentSessionId: ids.agentSessionId ?? null,
      });
    }
    if (path === '/api/fail') {
      return sendJson(response, 500, { error: 'The inventory service is unavailable (demo).' });
    }
    const staticFile = /^\/static\/([a-z0-9-]+\.(?:css|js|svg))$/.exec(path)?.[1];
    const file = staticFile ? join(publicFolder, staticFile) : files[path];
    if (file) return serveFile(response, file);
    sendJson(response, 404, { error: `nothing at ${path}` });
  };

  app.on('request', (request: IncomingMessage, response: ServerResponse) =>
    loupe(request, response, () => {
      route(request, response).catch((error: unknown) => {
        console.error('Loupe demo: a request failed:', error);
        if (!response.headersSent) sendJson(response, 500, { error: 'the demo server failed' });
        else response.destroy();
      });
    }),
  );

  return {
    port: appPort,
    thirdPartyPort: (thirdParty.address() as AddressInfo).port,
    demoUrl: about.demoUrl,
    viewerUrl: origin + '/viewer/',
    logEndpoint: about.logEndpoint,
    thirdPartyOrigin,
    databaseFile,
    async close() {
      viewer.close();
      await Promise.all([closeServer(app), closeServer(thirdParty)]);
      store.close();
    },
  };
}

/** Listens on `port`, or on the next free one after it; resolves with the port it took. */
async function listenFrom(server: Server, port: number): Promise<number> {
  const last = port ? Math.min(port + PORTS_TRIED - 1, 65535) : 0;
  for (let candidate = port; ; candidate++) {
    try {
      await listen(server, candidate);
      return (server.address() as AddressInfo).port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (candidate >= last) {
        throw new Error(
          `Ports ${port} to ${last} are all in use: choose another with PORT=… (or THIRD_PARTY_PORT=…).`,
          { cause: error },
        );
      }
    }
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolvePromise) => {
    if (!server.listening) return resolvePromise();
    server.closeAllConnections();
    server.close(() => resolvePromise());
  });
}

function describeIds(ids: { sessionId?: string | undefined; agentSessionId?: string | undefined }) {
  return `session ${shortId(ids.sessionId)}  agent ${shortId(ids.agentSessionId)}`;
}

function describeRequest(record: RequestRecord): string {
  const where = record.server === 'app' ? '' : '[third party] ';
  return `${where}${record.method} ${record.url} ${record.status}  ${describeIds(record)}`;
}
