import { Client, cacheExchange, fetchExchange } from 'urql';

/** One urql client for the SPA; the backend serves /graphql on the same origin. */
export function createClient(url = '/graphql'): Client {
  return new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
    requestPolicy: 'cache-and-network',
  });
}
