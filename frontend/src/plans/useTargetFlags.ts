import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { targetFlagsQuery } from './queries';

const PAGE = 500;

/** The validation flags per rep (union over the months), read in pages in the background. */
export function useTargetFlags(planId: string, metricCode: string, reload: unknown): Map<string, string[]> {
  const client = useClient();
  const [flags, setFlags] = useState<Map<string, string[]>>(new Map());
  useEffect(() => {
    if (!metricCode) return;
    let cancelled = false;
    (async () => {
      const next = new Map<string, string[]>();
      for (let offset = 0; ; offset += PAGE) {
        const result = await client
          .query(targetFlagsQuery, { planId, metricCode, offset, limit: PAGE }, { requestPolicy: 'network-only' })
          .toPromise();
        const page = result.data?.planTargets;
        if (cancelled || !page) return;
        for (const item of page.items) {
          const set = [...new Set(item.targets.flatMap((t) => t.flags))];
          if (set.length) next.set(item.repId, set);
        }
        if (offset + PAGE >= page.totalCount) break;
      }
      if (!cancelled) setFlags(next);
    })();
    return () => {
      cancelled = true;
    };
  }, [client, planId, metricCode, reload]);
  return flags;
}
