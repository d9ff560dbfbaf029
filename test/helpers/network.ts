import { BatchInterceptor } from '@mswjs/interceptors';
import { ClientRequestInterceptor } from '@mswjs/interceptors/ClientRequest';
import { FetchInterceptor } from '@mswjs/interceptors/fetch';
import { XMLHttpRequestInterceptor } from '@mswjs/interceptors/XMLHttpRequest';

/** A request as it left the page. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

export type Responder = (
  request: SeenRequest,
) => Response | undefined | Promise<Response | undefined>;

/**
 * The network the page talks to in happy-dom tests: every fetch, XHR and http request is answered
 * here (200 with an empty body unless a responder says otherwise) and recorded.
 *
 * With `realXhr`, happy-dom's own XMLHttpRequest runs and its requests reach this network through
 * Node's http module, so patches of `XMLHttpRequest.prototype` see every call (the XHR interceptor
 * answers `send` before it reaches the prototype).
 */
export function startNetwork(responder?: Responder, { realXhr = false } = {}) {
  const requests: SeenRequest[] = [];
  const waiters: Array<() => void> = [];
  const interceptor = new BatchInterceptor({
    name: 'test-network',
    interceptors: [
      new ClientRequestInterceptor(),
      new FetchInterceptor(),
      ...(realXhr ? [] : [new XMLHttpRequestInterceptor()]),
    ],
  });
  interceptor.apply();
  interceptor.on('request', async ({ request, controller }) => {
    const seen: SeenRequest = {
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      body: request.body ? await request.clone().text() : '',
    };
    requests.push(seen);
    waiters.splice(0).forEach((wake) => wake());
    const response = (await responder?.(seen)) ?? new Response('', { status: 200 });
    controller.respondWith(response);
  });
  const logRequests = () =>
    requests.filter((request) => new URL(request.url).pathname === '/loupe/log');
  return {
    requests,
    logRequests,
    /** Every message of every log request, in the order they arrived. */
    logMessages: () => logRequests().flatMap((request) => JSON.parse(request.body).logMessages),
    /** Resolves once `count` log requests have arrived. */
    async waitForLogRequests(count: number): Promise<SeenRequest[]> {
      while (logRequests().length < count) await new Promise<void>((wake) => waiters.push(wake));
      return logRequests();
    },
    dispose: () => interceptor.dispose(),
  };
}
