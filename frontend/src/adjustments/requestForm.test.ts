import { describe, expect, it } from 'vitest';
import { onFormFields, queryErrors, toAdjustmentInput, todayIso } from './requestForm';

const CHOICE = { planId: '3', metricCode: 'revenue', metricName: 'Revenue', currentTotal: 1000 };

describe('toAdjustmentInput', () => {
  it('builds the API input with the plan and metric chosen and the text trimmed', () => {
    const input = toAdjustmentInput({ metric: 'revenue', periodTotal: 800, effectiveDate: '2026-05-01', reason: 'KEY_ACCOUNT_LOST', reasonText: '  lost ACME  ' }, CHOICE, '7');
    expect(input).toEqual({ planId: '3', repId: '7', metric: 'revenue', periodTotal: 800, effectiveDate: '2026-05-01', reason: 'KEY_ACCOUNT_LOST', reasonText: 'lost ACME', kind: 'REQUEST' });
  });

  it('gives nothing while the new total is missing', () => {
    expect(toAdjustmentInput({ metric: 'revenue', periodTotal: null, effectiveDate: '2026-05-01', reason: 'OTHER', reasonText: 'x' }, CHOICE, '7')).toBeNull();
  });
});

describe('queryErrors', () => {
  it('reads the code and the input from each GraphQL error’s extensions', () => {
    const error = { message: 'x', networkError: undefined, graphQLErrors: [{ message: 'too low', extensions: { code: 'INVALID', field: 'periodTotal' } }] };
    expect(queryErrors(error as never)).toEqual([{ code: 'INVALID', field: 'periodTotal', message: 'too low' }]);
  });

  it('turns a network failure into one error without a field', () => {
    const error = { message: 'offline', networkError: new Error('Failed to fetch'), graphQLErrors: [] };
    expect(queryErrors(error as never)).toEqual([{ code: 'INVALID', field: null, message: 'Failed to fetch' }]);
  });
});

describe('onFormFields', () => {
  it('keeps the inputs the form has and drops the others', () => {
    const errors = onFormFields([
      { code: 'INVALID', field: 'metricCode', message: 'a' },
      { code: 'CONFLICT', field: 'repId', message: 'b' },
      { code: 'INVALID', field: 'reasonText', message: 'c' },
    ]);
    expect(errors.map((e) => e.field)).toEqual(['metric', null, 'reasonText']);
  });
});

describe('todayIso', () => {
  it('writes the local day', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});
