import { describe, expect, it } from 'vitest';
import { availableActions, nextState, noteProblem, MAX_NOTE } from './transitions';

describe('availableActions', () => {
  it('lets a handler acknowledge or resolve an open alert', () => {
    expect(availableActions('OPEN', true)).toEqual(['acknowledge', 'resolve']);
  });

  it('lets a handler only resolve an acknowledged alert', () => {
    expect(availableActions('ACKNOWLEDGED', true)).toEqual(['resolve']);
  });

  it('offers nothing on a resolved alert', () => {
    expect(availableActions('RESOLVED', true)).toEqual([]);
  });

  it('offers nothing to someone who may not handle alerts (a rep)', () => {
    expect(availableActions('OPEN', false)).toEqual([]);
  });
});

describe('nextState', () => {
  it('moves open > acknowledged > resolved', () => {
    expect(nextState('acknowledge')).toBe('ACKNOWLEDGED');
    expect(nextState('resolve')).toBe('RESOLVED');
  });
});

describe('noteProblem', () => {
  it('requires a note to resolve, not to acknowledge', () => {
    expect(noteProblem('resolve', '  ')).toBe('required');
    expect(noteProblem('acknowledge', '')).toBeNull();
    expect(noteProblem('resolve', 'Called the customer')).toBeNull();
  });

  it('refuses a note longer than the API keeps', () => {
    expect(noteProblem('acknowledge', 'x'.repeat(MAX_NOTE + 1))).toBe('tooLong');
  });
});
