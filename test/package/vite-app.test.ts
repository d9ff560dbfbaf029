import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { build } from 'vite';
import { afterAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { installPackedApp, packPackage } from '../helpers/packedApp';
import { startServer } from '../helpers/server';

const root = join(import.meta.dirname, '..', '..');
const workspace = mkdtempSync(join(tmpdir(), 'loupe-vite-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const contentTypes: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

it('works in a Vite app that installs the packed package from npm', async () => {
  const app = join(workspace, 'app');
  cpSync(join(root, 'test/fixtures/vite-app'), app, { recursive: true });
  installPackedApp(app, packPackage(workspace), { type: 'module' });

  await build({ root: app, logLevel: 'silent', build: { outDir: join(app, 'dist') } });
  const bundle = readdirSync(join(app, 'dist/assets')).find((name) => name.endsWith('.js'))!;
  expect(readFileSync(join(app, 'dist/assets', bundle), 'utf8')).toContain('loupe-agent-sessionId');

  const server = await startServer((request, response) => {
    const path = request.path === '/' ? '/index.html' : request.path;
    if (request.method !== 'GET' || path.startsWith('/api/')) return false;
    response.writeHead(200, { 'Content-Type': contentTypes[extname(path)] ?? 'text/plain' });
    response.end(readFileSync(join(app, 'dist', path)));
    return true;
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.origin + '/');
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'done');
    const message = server.logMessages().find((m) => m.caption === 'Hello from a bundled app');
    expect(message).toMatchObject({ category: 'Vite', severity: 8 });
    const api = server.requests.find((request) => request.path === '/api/data')!;
    expect(api.headers['loupe-agent-sessionid']).toBe(message.agentSessionId);
  } finally {
    await browser.close();
    await server.close();
  }
});
