import { useEffect, useRef } from 'react';
import { useSubscription } from 'urql';
import { changesSubscription } from './subscriptions';
import type { ChangesSubscription } from '../gql/graphql';

export type Change = ChangesSubscription['changes'];

/** Calls `onChange` for every committed change of one kind of entity (e.g. "rank"). */
export function useLiveChanges(entity: string, onChange: (change: Change) => void): void {
  const callback = useRef(onChange);
  useEffect(() => {
    callback.current = onChange;
  });
  const [{ data }] = useSubscription({ query: changesSubscription, variables: { entity } });
  useEffect(() => {
    if (data?.changes) callback.current(data.changes);
  }, [data]);
}
