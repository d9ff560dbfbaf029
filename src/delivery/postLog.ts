import { attempt } from '../util/attempt';
import type { DeliveryContext } from './delivery';

/**
 * POST a body to the log endpoint with the page's own fetch; undefined for a network error. A
 * string body goes out as text/plain;charset=UTF-8, which needs no CORS preflight: the server
 * reads JSON whatever the content type.
 */
export const postLog = async (context: DeliveryContext, body: string, keepalive: boolean) => {
  // Called as a function, not as a method of the context: fetch needs no `this` but the window.
  const pageFetch = context.pageFetch as typeof fetch;
  try {
    const response = await pageFetch(context.endpoint(), {
      method: 'POST',
      body,
      keepalive,
      headers: context.headers(),
      credentials: context.requestCredentials(),
    });
    // Until its answer is read, Chromium counts the request in the page's keepalive quota.
    await response.text().catch(() => {});
    return response;
  } catch {}
};

/**
 * Hand a body to the browser at page exit; falsy when it refused it. A beacon carries no
 * headers (the ids travel in the body): when the server needs some, or without sendBeacon, a
 * keepalive fetch, which also outlives the page, takes the body with its headers.
 */
export const postLogOnExit = (context: DeliveryContext, body: string) =>
  attempt(() =>
    context.beaconable() && context.scope.navigator.sendBeacon
      ? context.scope.navigator.sendBeacon(context.endpoint(), body)
      : postLog(context, body, true),
  );
