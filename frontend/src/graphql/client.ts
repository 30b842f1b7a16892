import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';

/** ws(s)://<this host>/graphql, next to the HTTP endpoint (the dev server proxies both). */
export function websocketUrl(path = '/graphql', location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}

/** One urql client for the SPA: queries and mutations over HTTP, subscriptions over graphql-transport-ws. */
export function createClient(url = '/graphql'): Client {
  const ws = createWsClient({ url: websocketUrl(url), lazy: true, retryAttempts: 5 });
  return new Client({
    url,
    exchanges: [
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
