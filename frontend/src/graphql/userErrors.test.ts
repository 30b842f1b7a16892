import { describe, expect, it } from 'vitest';
import { fieldPath, partitionUserErrors } from './userErrors';

describe('fieldPath', () => {
  it('reads bracket and dotted indices alike', () => {
    expect(fieldPath('metrics[0].weight')).toEqual(['metrics', 0, 'weight']);
    expect(fieldPath('metrics.2.baseline')).toEqual(['metrics', 2, 'baseline']);
    expect(fieldPath('note')).toEqual(['note']);
  });
});

describe('partitionUserErrors', () => {
  it('binds known fields and leaves the rest for a message', () => {
    const { fieldErrors, formErrors } = partitionUserErrors(
      [
        { field: 'reason', code: 'INVALID', message: 'Say why' },
        { field: null, code: 'STALE_VERSION', message: 'Changed meanwhile' },
        { field: 'unknown', code: 'INVALID', message: 'Odd' },
      ],
      (path) => path[0] === 'reason',
    );
    expect(fieldErrors).toEqual([{ name: ['reason'], errors: ['Say why'] }]);
    expect(formErrors.map((e) => e.message)).toEqual(['Changed meanwhile', 'Odd']);
  });
});
