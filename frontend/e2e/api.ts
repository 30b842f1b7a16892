import type { APIRequestContext } from '@playwright/test';
import { signIn } from './fixtures';

/** A GraphQL call from the test itself, as another user of the API would make it. */
export async function gql<T>(
  request: APIRequestContext,
  query: string,
  variables: Record<string, unknown> = {},
  csrfToken?: string,
): Promise<T> {
  const headers: Record<string, string> = csrfToken ? { 'x-csrf-token': csrfToken } : {};
  const response = await request.post('/graphql', { data: { query, variables }, headers });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

interface Settings {
  version: number;
  effectiveFrom: string;
  promotionThreshold: number;
  promotionQuarters: number;
  minTenureMonths: number;
  demotionThreshold: number;
  demotionQuarters: number;
  metrics: { metric: { code: string }; weight: number; baseline: number; floorMultiplier: number; ceilingMultiplier: number }[];
}

/** Save the rank's newest settings again as a new version: someone else's concurrent edit. */
export async function bumpRankSettings(request: APIRequestContext, rankCode: string, note: string): Promise<number> {
  const csrf = await signIn(request);
  const { ranks } = await gql<{ ranks: { id: string; code: string; latestSettings: Settings | null }[] }>(
    request,
    `{ ranks { id code latestSettings { version effectiveFrom promotionThreshold promotionQuarters minTenureMonths
       demotionThreshold demotionQuarters metrics { metric { code } weight baseline floorMultiplier ceilingMultiplier } } } }`,
    {},
    csrf,
  );
  const rank = ranks.find((r) => r.code === rankCode);
  if (!rank?.latestSettings) throw new Error(`rank ${rankCode} has no settings`);
  const s = rank.latestSettings;
  const result = await gql<{ updateRankSettings: { errors: { message: string }[]; rank: { latestSettings: { version: number } } | null } }>(
    request,
    `mutation($input: UpdateRankSettingsInput!) { updateRankSettings(input: $input) {
       rank { latestSettings { version } } errors { field code message } } }`,
    {
      input: {
        rankId: rank.id,
        expectedVersion: s.version,
        effectiveFrom: s.effectiveFrom > today() ? s.effectiveFrom : today(),
        note,
        promotionThreshold: s.promotionThreshold,
        promotionQuarters: s.promotionQuarters,
        minTenureMonths: s.minTenureMonths,
        demotionThreshold: s.demotionThreshold,
        demotionQuarters: s.demotionQuarters,
        metrics: s.metrics.map((m) => ({
          metricCode: m.metric.code,
          weight: m.weight,
          baseline: m.baseline,
          floorMultiplier: m.floorMultiplier,
          ceilingMultiplier: m.ceilingMultiplier,
        })),
      },
    },
    csrf,
  );
  if (result.updateRankSettings.errors.length) throw new Error(result.updateRankSettings.errors[0].message);
  return result.updateRankSettings.rank!.latestSettings.version;
}

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
