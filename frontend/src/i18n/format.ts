import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Numbers and dates in the chosen language, not the browser's (issue #18): `Intl` with the
 * i18next language. Large amounts are compact in both languages, which gives 万/亿 in zh-CN
 * (12,345 → "1.23万") and K/M/B in English ("1.23M").
 */
const EMPTY = '—';

function missing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || Number.isNaN(value);
}

/** A plain number with grouping: `formatNumber(1234.5, 'en')` → "1,234.5". */
export function formatNumber(value: number | null | undefined, language: string, maximumFractionDigits = 2): string {
  if (missing(value)) return EMPTY;
  return new Intl.NumberFormat(language, { maximumFractionDigits }).format(value);
}

/**
 * An amount as people read it: below 10,000 in full, above compact (万/亿 in zh-CN).
 * `formatAmount(123456789, 'zh-CN')` → "1.23亿"; `formatAmount(123456, 'en')` → "123.46K".
 */
export function formatAmount(value: number | null | undefined, language: string): string {
  if (missing(value)) return EMPTY;
  if (Math.abs(value) < 10_000) return formatNumber(value, language, Math.abs(value) < 100 ? 2 : 0);
  return new Intl.NumberFormat(language, { notation: 'compact', maximumFractionDigits: 2 }).format(value);
}

/** A ratio as a percentage: `formatPercent(0.723, 'en')` → "72%" (digits: decimals shown). */
export function formatPercent(ratio: number | null | undefined, language: string, digits = 0): string {
  if (missing(ratio)) return EMPTY;
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(ratio);
}

/** An ISO instant as a date and time: "Nov 27, 2026, 4:27 PM" / "2026年11月27日 16:27". */
export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return EMPTY;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return EMPTY;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** An ISO calendar date ("2026-11-27") as a date, read as that day wherever the browser is. */
export function formatDate(isoDate: string | null | undefined, language: string): string {
  if (!isoDate) return EMPTY;
  const [year, month, day] = isoDate.slice(0, 10).split('-').map(Number);
  if (!year || !month || !day) return EMPTY;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, day)));
}

/** The month of an ISO date, short: "Nov 2026" / "2026年11月". */
export function formatMonth(isoDate: string | null | undefined, language: string): string {
  if (!isoDate) return EMPTY;
  const [year, month] = isoDate.slice(0, 7).split('-').map(Number);
  if (!year || !month) return EMPTY;
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 1)));
}

/** "3 hours ago" / "3小时前" from an ISO instant, against `now`. */
export function formatRelative(iso: string | null | undefined, language: string, now = Date.now()): string {
  if (!iso) return EMPTY;
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Number.isNaN(seconds)) return EMPTY;
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(seconds, 'second');
}

export interface Formatters {
  language: string;
  number: (value: number | null | undefined, digits?: number) => string;
  amount: (value: number | null | undefined) => string;
  percent: (ratio: number | null | undefined, digits?: number) => string;
  dateTime: (iso: string | null | undefined) => string;
  date: (isoDate: string | null | undefined) => string;
  month: (isoDate: string | null | undefined) => string;
  relative: (iso: string | null | undefined) => string;
}

/** The formatters bound to a language. */
export function formattersFor(language: string): Formatters {
  return {
    language,
    number: (value, digits) => formatNumber(value, language, digits),
    amount: (value) => formatAmount(value, language),
    percent: (ratio, digits) => formatPercent(ratio, language, digits),
    dateTime: (iso) => formatDateTime(iso, language),
    date: (isoDate) => formatDate(isoDate, language),
    month: (isoDate) => formatMonth(isoDate, language),
    relative: (iso) => formatRelative(iso, language),
  };
}

/** The formatters for the language chosen in the app (re-rendered when it changes). */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return useMemo(() => formattersFor(i18n.language), [i18n.language]);
}
