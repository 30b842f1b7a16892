import type { AlertState } from '../gql/graphql';

export type AlertAction = 'acknowledge' | 'resolve';

/** The longest note the API keeps (backend/services/alerts/lifecycle.py MAX_NOTE). */
export const MAX_NOTE = 2000;

/**
 * What a person may do to an alert in `state`: open → acknowledge or resolve, acknowledged →
 * resolve, resolved → nothing; nothing at all without the handle_alerts action (a rep sees
 * their own alerts but does not handle them).
 */
export function availableActions(state: AlertState, canHandle: boolean): AlertAction[] {
  if (!canHandle) return [];
  if (state === 'OPEN') return ['acknowledge', 'resolve'];
  if (state === 'ACKNOWLEDGED') return ['resolve'];
  return [];
}

/** The state an action leads to. */
export function nextState(action: AlertAction): AlertState {
  return action === 'acknowledge' ? 'ACKNOWLEDGED' : 'RESOLVED';
}

/** Why a note is refused before it is sent (null: fine). Resolving needs one, acknowledging not. */
export function noteProblem(action: AlertAction, note: string): 'required' | 'tooLong' | null {
  const text = note.trim();
  if (action === 'resolve' && text.length === 0) return 'required';
  if (text.length > MAX_NOTE) return 'tooLong';
  return null;
}

export const STATE_COLORS: Record<AlertState, string> = { OPEN: 'red', ACKNOWLEDGED: 'gold', RESOLVED: 'green' };
export const SEVERITY_COLORS = { CRITICAL: 'magenta', WARNING: 'orange', INFO: 'blue' } as const;
