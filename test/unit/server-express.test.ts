import { createServer } from 'node:http';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { createLoupeMiddleware, createMemoryStore } from '../../server/index';
import { close, listen, validBody } from './server-fixtures';

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
});

async function serve(app: express.Express) {
  const server = createServer(app);
  servers.push(server);
  return listen(server);
}

it('gives Express routes req.loupe and answers the log endpoint', async () => {
  const store = createMemoryStore();
  const app = express();
  app.use(createLoupeMiddleware({ store }));
  app.get('/api/whoami', (request, response) => {
    response.json({ ids: request.loupe });
  });
  const origin = await serve(app);

  const answer = await fetch(origin + '/api/whoami', {
    headers: {
      Cookie: 'LoupeSessionId=cookie-session',
      LoupeSessionId: 'header-session',
      'loupe-agent-sessionId': 'agent-1',
    },
  });
  expect(await answer.json()).toEqual({
    ids: { sessionId: 'header-session', agentSessionId: 'agent-1' },
  });

  const page = await fetch(origin + '/api/whoami', { headers: { Accept: 'text/html' } });
  const issued = page.headers.get('loupesessionid');
  expect(page.headers.get('set-cookie')).toBe(`LoupeSessionId=${issued}; Path=/; SameSite=Lax`);
  expect(await page.json()).toEqual({ ids: { sessionId: issued } });

  const log = await fetch(origin + '/loupe/log', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Cookie: 'LoupeSessionId=s-1' },
    body: JSON.stringify(validBody()),
  });
  expect(log.status).toBe(204);
  expect(store.batches.map((batch) => batch.sessionId)).toEqual(['s-1']);
});

it('keeps cookies other middleware set, and reads a body express.json() already parsed', async () => {
  const store = createMemoryStore();
  const app = express();
  app.use((_request, response, next) => {
    response.setHeader('Set-Cookie', 'theme=dark; Path=/');
    next();
  });
  app.use(express.json());
  app.use(createLoupeMiddleware({ store }));
  app.get('/', (_request, response) => {
    response.send('<!doctype html><title>home</title>');
  });
  const origin = await serve(app);

  const page = await fetch(origin + '/', { headers: { Accept: 'text/html' } });
  expect(page.headers.getSetCookie()).toEqual([
    'theme=dark; Path=/',
    `LoupeSessionId=${page.headers.get('loupesessionid')}; Path=/; SameSite=Lax`,
  ]);

  const accepted = await fetch(origin + '/loupe/log', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(validBody()),
  });
  expect(accepted.status).toBe(204);
  const rejected = await fetch(origin + '/loupe/log', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ logMessages: [{ severity: 8, timeStamp: null, sequence: 1 }] }),
  });
  expect(rejected.status).toBe(400);
  expect(await rejected.json()).toMatchObject({
    error: 'logMessages[0].timeStamp must be an ISO 8601 date with offset, got null',
  });
  expect(store.batches).toHaveLength(1);
});

it('serves the log endpoint under a mount path', async () => {
  const store = createMemoryStore();
  const app = express();
  app.use('/telemetry', createLoupeMiddleware({ store }));
  const origin = await serve(app);
  const response = await fetch(origin + '/telemetry/loupe/log', {
    method: 'POST',
    body: JSON.stringify(validBody()),
  });
  expect(response.status).toBe(204);
  expect(store.batches).toHaveLength(1);
});
