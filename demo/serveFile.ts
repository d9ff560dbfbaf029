import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Send a file from disk, read on every request so edits show on reload. HTML pages get the given
 * Content-Security-Policy and may have `%NAME%` placeholders filled in.
 */
export async function serveFile(
  response: ServerResponse,
  file: string,
  options: { csp?: string; replacements?: Record<string, string> } = {},
): Promise<void> {
  let body: Buffer | string;
  try {
    body = await readFile(file);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('Not found');
    return;
  }
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  if (options.replacements) {
    body = body
      .toString('utf8')
      .replace(/%([A-Z_]+)%/g, (placeholder, name: string) =>
        escapeHtml(options.replacements?.[name] ?? placeholder),
      );
  }
  response.writeHead(200, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(options.csp ? { 'Content-Security-Policy': options.csp } : {}),
  });
  response.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
