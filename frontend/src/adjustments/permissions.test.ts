import { describe, expect, it } from 'vitest';
import { availableActions, canDecide, canRequest, decisionProblem, type RequestFacts, type Viewer } from './permissions';

const REP: Viewer = { username: 'rep', actions: ['read', 'request_adjustments'], repId: '7' };
const LEAD: Viewer = { username: 'lead', actions: ['read', 'request_adjustments', 'decide_adjustments'], repId: null };
const pending = (over: Partial<RequestFacts> = {}): RequestFacts => ({ status: 'PENDING', requestedBy: 'rep', subjectRepId: '7', ...over });

describe('availableActions', () => {
  it('lets a decider approve or refuse someone else’s pending request', () => {
    expect(availableActions(pending(), LEAD)).toEqual(['approve', 'refuse']);
  });

  it('lets the requester only withdraw their own request', () => {
    expect(availableActions(pending(), REP)).toEqual(['withdraw']);
  });

  it('never lets a decider decide their own request', () => {
    expect(availableActions(pending({ requestedBy: 'lead', subjectRepId: '9' }), LEAD)).toEqual(['withdraw']);
  });

  it('never lets a decider decide a request about their own targets', () => {
    const leadWithRep: Viewer = { ...LEAD, repId: '9' };
    expect(availableActions(pending({ requestedBy: 'branch', subjectRepId: '9' }), leadWithRep)).toEqual([]);
  });

  it('offers nothing once a request is decided or withdrawn', () => {
    for (const status of ['APPROVED', 'REFUSED', 'WITHDRAWN'] as const) {
      expect(availableActions(pending({ status }), LEAD)).toEqual([]);
      expect(availableActions(pending({ status }), REP)).toEqual([]);
    }
  });

  it('offers a rep nothing on a teammate’s request', () => {
    expect(availableActions(pending({ requestedBy: 'lead', subjectRepId: '8' }), REP)).toEqual([]);
  });
});

describe('canRequest and canDecide', () => {
  it('read the role’s actions', () => {
    expect(canRequest(REP.actions)).toBe(true);
    expect(canDecide(REP.actions)).toBe(false);
    expect(canDecide(LEAD.actions)).toBe(true);
  });
});

describe('decisionProblem', () => {
  it('requires a reason to refuse but not to approve', () => {
    expect(decisionProblem(false, '  ')).toBe('required');
    expect(decisionProblem(true, '')).toBeNull();
  });

  it('refuses a reason longer than the API keeps', () => {
    expect(decisionProblem(true, 'x'.repeat(4001))).toBe('tooLong');
  });
});
