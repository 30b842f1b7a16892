import { useState } from 'react';
import { useQuery } from 'urql';
import type { RepFilter, RepSort } from '../../gql/graphql';
import { repListQuery } from '../queries';

interface Options {
  filter: RepFilter;
  sort: RepSort;
  pageSize: number;
  pause?: boolean;
}

/**
 * Forward cursor pagination over the Relay connection. The `after` cursor of every page
 * visited is kept, so "previous" is exact; a change of filter, sort or size starts again.
 */
export function useRepPages({ filter, sort, pageSize, pause }: Options) {
  const resetKey = JSON.stringify([filter, sort, pageSize]);
  const [state, setState] = useState({ resetKey, page: 0, cursors: [null] as (string | null)[] });
  if (state.resetKey !== resetKey) {
    setState({ resetKey, page: 0, cursors: [null] });
  }
  const page = state.resetKey === resetKey ? state.page : 0;
  const after = state.resetKey === resetKey ? state.cursors[page] : null;

  const [result, refetch] = useQuery({
    query: repListQuery,
    variables: { first: pageSize, after, filter, sort },
    pause,
  });
  const connection = result.data?.reps;
  const totalCount = connection?.totalCount ?? 0;

  const next = () => {
    const endCursor = connection?.pageInfo.endCursor;
    if (!connection?.pageInfo.hasNextPage || !endCursor) return;
    setState((s) => ({ ...s, page: s.page + 1, cursors: [...s.cursors.slice(0, s.page + 1), endCursor] }));
  };
  const prev = () => setState((s) => ({ ...s, page: Math.max(0, s.page - 1) }));

  return {
    rows: connection?.edges.map((edge) => edge.node) ?? [],
    totalCount,
    page,
    pageCount: Math.max(1, Math.ceil(totalCount / pageSize)),
    hasNext: !!connection?.pageInfo.hasNextPage,
    hasPrev: page > 0,
    next,
    prev,
    fetching: result.fetching,
    error: result.error,
    hasData: !!result.data,
    refetch: () => refetch({ requestPolicy: 'network-only' }),
  };
}

export type RepRow = ReturnType<typeof useRepPages>['rows'][number];
