import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange, type CombinedError } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';
import { csrfHeaders } from '../auth/csrf';
import { signInPath } from '../auth/session';

/** ws(s)://<this host>/graphql, next to the HTTP endpoint (the dev server proxies both). */
export function websocketUrl(path = '/graphql', location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}

/**
 * The API refuses anonymous callers ("sign in first") and cookie requests without the CSRF token
 * (code CSRF, e.g. cookies cleared in part); either way a fresh sign-in is the way out.
 */
export function needsSignIn(error: CombinedError): boolean {
  return error.graphQLErrors.some((e) => e.message === 'sign in first' || e.extensions?.code === 'CSRF');
}

/**
 * One urql client for the SPA: queries and mutations over HTTP with the session cookie and the
 * CSRF header, subscriptions over graphql-transport-ws (the socket carries the same cookie).
 */
export function createClient(url = '/graphql'): Client {
  const ws = createWsClient({ url: websocketUrl(url), lazy: true, retryAttempts: 5 });
  return new Client({
    url,
    // POST only: the API takes no queries over GET (no cacheable, linkable reads of private data).
    preferGetMethod: false,
    fetchOptions: () => ({ credentials: 'same-origin', headers: csrfHeaders() }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (needsSignIn(error) && !window.location.pathname.startsWith('/sign-in')) {
            window.location.assign(signInPath());
          }
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
    requestPolicy: 'cache-and-network',
  });
}
