import { describe, expect, it } from 'vitest';
import { readRepListState, toRepFilter, writeRepListState } from './urlState';

describe('reps list URL state', () => {
  it('round-trips filters, sort and page size through the query string', () => {
    const params = new URLSearchParams('org=4&rank=S1,S3&region=EC&q=li&leavers=1&sort=HIRE_DATE&dir=DESC&size=50');
    const state = readRepListState(params);
    expect(state.values).toEqual({ orgUnitId: '4', rankCodes: ['S1', 'S3'], regionCodes: ['EC'], search: 'li', includeLeavers: true });
    expect(state.sort).toEqual({ field: 'HIRE_DATE', direction: 'DESC' });
    expect(state.pageSize).toBe(50);
    expect(writeRepListState(state).toString()).toBe(params.toString());
  });

  it('ignores an unknown sort field and page size', () => {
    const state = readRepListState(new URLSearchParams('sort=SALARY&size=7'));
    expect(state.sort).toBeUndefined();
    expect(state.pageSize).toBe(20);
  });

  it('sends only the filters that are set', () => {
    expect(toRepFilter(readRepListState(new URLSearchParams('')).values)).toEqual({});
    expect(toRepFilter(readRepListState(new URLSearchParams('rank=S2')).values)).toEqual({ rankCodes: ['S2'] });
  });
});
