import type { AdjustmentReason, AdjustmentStatus } from '../gql/graphql';

export type AdjustmentAction = 'approve' | 'refuse' | 'withdraw';

/** Who is looking: the user name, the actions of their role and their own rep (a rep's). */
export interface Viewer {
  username: string;
  actions: readonly string[];
  repId?: string | null;
}

/** What a request needs for its actions to be decided. */
export interface RequestFacts {
  status: AdjustmentStatus;
  requestedBy: string;
  subjectRepId?: string | null;
}

export const REQUEST_ACTION = 'request_adjustments';
export const DECIDE_ACTION = 'decide_adjustments';

/** The reasons a rep or manager may give (the others are the system's, for people changes). */
export const REQUEST_REASONS: AdjustmentReason[] = ['MARKET_CHANGE', 'TERRITORY_CHANGE', 'LEAVE', 'DEAL_SLIPPED', 'KEY_ACCOUNT_LOST', 'OTHER'];

export const STATUS_COLORS: Record<AdjustmentStatus, string> = { PENDING: 'gold', APPROVED: 'green', REFUSED: 'red', WITHDRAWN: 'default' };

export function canRequest(actions: readonly string[]): boolean {
  return actions.includes(REQUEST_ACTION);
}

export function canDecide(actions: readonly string[]): boolean {
  return actions.includes(DECIDE_ACTION);
}

/**
 * What `viewer` may do to a request: only a pending one moves. A decider approves or refuses
 * anything but their own request or their own targets (the API refuses those with FORBIDDEN);
 * the requester withdraws.
 */
export function availableActions(request: RequestFacts, viewer: Viewer): AdjustmentAction[] {
  if (request.status !== 'PENDING') return [];
  const own = request.requestedBy === viewer.username;
  const aboutMe = !!viewer.repId && request.subjectRepId === viewer.repId;
  const out: AdjustmentAction[] = [];
  if (canDecide(viewer.actions) && !own && !aboutMe) out.push('approve', 'refuse');
  if (own && canRequest(viewer.actions)) out.push('withdraw');
  return out;
}

/** The longest reason the API keeps (backend/services/adjustments/requests.py). */
export const MAX_REASON = 4000;

/** Why a decision is refused before it is sent (null: fine): refusing needs a reason. */
export function decisionProblem(approve: boolean, reason: string): 'required' | 'tooLong' | null {
  const text = reason.trim();
  if (!approve && text.length === 0) return 'required';
  if (text.length > MAX_REASON) return 'tooLong';
  return null;
}
