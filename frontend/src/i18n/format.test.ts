import { describe, expect, it } from 'vitest';
import { formatAmount, formatDate, formatDateTime, formatMonth, formatNumber, formatPercent, formatRelative } from './format';

describe('formatAmount', () => {
  it('shows large amounts in 万 and 亿 in Chinese', () => {
    expect(formatAmount(12_345, 'zh-CN')).toBe('1.23万');
    expect(formatAmount(123_456_789, 'zh-CN')).toBe('1.23亿');
  });

  it('shows large amounts in K and M in English', () => {
    expect(formatAmount(123_456, 'en')).toBe('123.46K');
    expect(formatAmount(1_234_567, 'en')).toBe('1.23M');
  });

  it('keeps small amounts in full, with the language grouping', () => {
    expect(formatAmount(9_876, 'en')).toBe('9,876');
    expect(formatAmount(9_876, 'zh-CN')).toBe('9,876');
    expect(formatAmount(3.456, 'en')).toBe('3.46');
  });

  it('shows a dash for a missing amount', () => {
    expect(formatAmount(null, 'en')).toBe('—');
    expect(formatAmount(Number.NaN, 'en')).toBe('—');
  });
});

describe('formatPercent and formatNumber', () => {
  it('turn ratios into percentages', () => {
    expect(formatPercent(0.723, 'en')).toBe('72%');
    expect(formatPercent(0.7234, 'zh-CN', 1)).toBe('72.3%');
    expect(formatPercent(undefined, 'en')).toBe('—');
  });

  it('group digits by language', () => {
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
  });
});

describe('dates', () => {
  it('follow the chosen language, not the browser', () => {
    expect(formatDate('2026-11-27', 'en')).toBe('Nov 27, 2026');
    expect(formatDate('2026-11-27', 'zh-CN')).toBe('2026年11月27日');
    expect(formatDateTime('2026-11-27T08:30:00Z', 'zh-CN')).toMatch(/^2026年11月27日/);
  });

  it('name a month in the chosen language', () => {
    expect(formatMonth('2026-11-01', 'en')).toBe('Nov 2026');
    expect(formatMonth('2026-11-01', 'zh-CN')).toBe('2026年11月');
  });

  it('say how long ago something happened', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(formatRelative('2026-11-27T09:00:00Z', 'en', now)).toBe('3 hours ago');
    expect(formatRelative('2026-11-27T09:00:00Z', 'zh-CN', now)).toBe('3小时前');
    expect(formatRelative('2026-11-26T12:00:00Z', 'en', now)).toBe('yesterday');
  });

  it('show a dash for nothing', () => {
    expect(formatDateTime(null, 'en')).toBe('—');
    expect(formatDate('', 'en')).toBe('—');
  });
});
