import type { FeedbackGrouping, FeedbackRating, FeedbackTag } from '../gql/graphql';

export const RATINGS: readonly FeedbackRating[] = ['TOO_LOW', 'FAIR', 'TOO_HIGH', 'UNREACHABLE'];
export const TAGS: readonly FeedbackTag[] = ['MARKET', 'TERRITORY', 'CUSTOMERS', 'PRODUCT', 'PIPELINE', 'SEASONALITY', 'TEAM', 'HISTORY', 'OTHER'];
export const GROUPINGS: readonly FeedbackGrouping[] = ['RANK', 'REGION', 'MANAGER'];
export const MAX_TAGS = 5;
export const MAX_TEXT = 2000;

/** Colours of the ratings, from easy (blue) to impossible (red), the same in chart and tags. */
export const RATING_COLORS: Record<FeedbackRating, string> = {
  TOO_LOW: '#4c8dff',
  FAIR: '#52c41a',
  TOO_HIGH: '#fa8c16',
  UNREACHABLE: '#f5222d',
};

export interface FeedbackDraft {
  rating: FeedbackRating | null;
  tags: readonly FeedbackTag[];
  comment: string;
}

export type DraftProblem = 'rating' | 'commentRequired' | 'tooLong' | 'tooManyTags';

/**
 * What keeps a draft from being sent, by the API's own rules: a rating, at most 5 tags, a comment
 * of at most 2000 characters that is required when the target is unreachable.
 * `draftProblems({ rating: 'UNREACHABLE', tags: [], comment: ' ' })` → `['commentRequired']`.
 */
export function draftProblems(draft: FeedbackDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (!draft.rating) problems.push('rating');
  if (draft.rating === 'UNREACHABLE' && !draft.comment.trim()) problems.push('commentRequired');
  if (draft.comment.length > MAX_TEXT) problems.push('tooLong');
  if (draft.tags.length > MAX_TAGS) problems.push('tooManyTags');
  return problems;
}

/** Toggle a tag, never going over the limit (a sixth tag is ignored). */
export function toggleTag(tags: readonly FeedbackTag[], tag: FeedbackTag): FeedbackTag[] {
  if (tags.includes(tag)) return tags.filter((t) => t !== tag);
  return tags.length >= MAX_TAGS ? [...tags] : [...tags, tag];
}

/** Whether this user may respond: a decider, on someone else's feedback, not yet answered. */
export function mayRespond(actions: readonly string[], username: string | undefined, item: { author: string; response?: string | null }): boolean {
  return actions.includes('decide_adjustments') && !!username && item.author !== username && !item.response;
}

export interface SummaryGroupLike {
  key: string;
  label: string;
  count: number;
  tooLow: number;
  fair: number;
  tooHigh: number;
  unreachable: number;
  respondedShare: number;
}

const FIELD: Record<FeedbackRating, 'tooLow' | 'fair' | 'tooHigh' | 'unreachable'> = {
  TOO_LOW: 'tooLow',
  FAIR: 'fair',
  TOO_HIGH: 'tooHigh',
  UNREACHABLE: 'unreachable',
};

/** One stacked-bar series per rating, in the order of the groups. */
export function ratingSeries(groups: readonly SummaryGroupLike[]): { rating: FeedbackRating; data: number[] }[] {
  return RATINGS.map((rating) => ({ rating, data: groups.map((g) => g[FIELD[rating]]) }));
}

/** The whole plan's figures: feedback given, share too high or unreachable, share responded. */
export function summaryTotals(groups: readonly SummaryGroupLike[]): { count: number; shareTooHigh: number | null; respondedShare: number | null } {
  const count = groups.reduce((s, g) => s + g.count, 0);
  if (count === 0) return { count, shareTooHigh: null, respondedShare: null };
  const high = groups.reduce((s, g) => s + g.tooHigh + g.unreachable, 0);
  const responded = groups.reduce((s, g) => s + g.respondedShare * g.count, 0);
  return { count, shareTooHigh: high / count, respondedShare: Math.round(responded) / count };
}
