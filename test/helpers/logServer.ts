import { type ServerRequest, type TestServer, startServer } from './server';

/**
 * How the log endpoint answers a request: `status` (default 204) with `headers`; `delay` holds
 * the answer back after reading the body; `drop` closes the connection without an answer.
 */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  delay?: number;
  drop?: boolean;
}

/** A log server on 127.0.0.1 that serves the app's pages and records what it accepted (2xx). */
export interface LogServer {
  server: TestServer;
  /** Log requests answered 2xx, in the order the server read them. */
  accepted: ServerRequest[];
  /** How the next log request is answered; reset with `answerWith(() => ({}))`. */
  answerWith(answer: (request: ServerRequest) => Answer): void;
  close(): Promise<void>;
}

export async function startLogServer(): Promise<LogServer> {
  const accepted: ServerRequest[] = [];
  let answer: (request: ServerRequest) => Answer = () => ({});
  const server = await startServer(async (request, response) => {
    if (request.method !== 'POST' || request.path.split('?')[0] !== '/loupe/log') return false;
    const { status = 204, headers = {}, delay = 0, drop } = answer(request);
    if (drop) {
      response.socket?.destroy();
      return true;
    }
    // Recorded as read: a slow answer's messages count as arrived before it is sent.
    if (status < 300) accepted.push(request);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    response.writeHead(status, headers);
    response.end();
    return true;
  });
  return {
    server,
    accepted,
    answerWith: (next) => (answer = next),
    close: () => server.close(),
  };
}

export const messagesOf = (request: ServerRequest): any[] => {
  try {
    return JSON.parse(request.body).logMessages;
  } catch {
    return [];
  }
};
