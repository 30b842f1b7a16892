import type { PlanStatus, Strategy } from '../gql/graphql';

export const STRATEGIES: Strategy[] = ['EQUAL_DIFFICULTY', 'EQUAL', 'BY_ABILITY', 'BY_POTENTIAL'];

export const STATUS_COLORS: Record<PlanStatus, string> = {
  DRAFT: 'default',
  SUBMITTED: 'processing',
  APPROVED: 'success',
  ACTIVE: 'green',
  CLOSED: 'purple',
};

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const ratioFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** A target or goal: whole numbers for big amounts, three decimals for ratios. */
export function formatAmount(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return Math.abs(value) >= 100 ? numberFormat.format(value) : ratioFormat.format(value);
}

export function formatProbability(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return `${(p * 100).toFixed(1)}%`;
}

export function probabilityColor(p: number | null | undefined): string {
  if (p === null || p === undefined) return 'default';
  if (p < 0.3) return 'red';
  if (p < 0.5) return 'orange';
  if (p > 0.9) return 'blue';
  return 'green';
}

/** The plan's period in words: "2026" or "2026 Q2". */
export function periodLabel(plan: { periodKind: string; periodStart: string }): string {
  const [year, month] = plan.periodStart.split('-').map(Number);
  return plan.periodKind === 'QUARTER' ? `${year} Q${Math.floor((month - 1) / 3) + 1}` : String(year);
}
