import type { CombinedError } from 'urql';
import type { AdjustmentInput, AdjustmentReason, ErrorCode } from '../gql/graphql';
import type { UserErrorLike } from '../graphql/userErrors';

/** A metric the rep may ask about: where its targets are and what they add up to now. */
export interface MetricChoice {
  planId: string;
  metricCode: string;
  metricName: string;
  currentTotal: number;
}

/** The request form's values (the date as an ISO day). */
export interface RequestValues {
  metric: string;
  periodTotal: number | null;
  effectiveDate: string;
  reason: AdjustmentReason;
  reasonText: string;
}

/** The inputs the API may name in an error, and where they are on the form. */
export const FORM_FIELDS: Record<string, keyof RequestValues | 'attachment'> = {
  periodTotal: 'periodTotal',
  effectiveDate: 'effectiveDate',
  reason: 'reason',
  reasonText: 'reasonText',
  metric: 'metric',
  metricCode: 'metric',
  attachment: 'attachment',
};

/** The API's input for the form (null while the new total is missing). */
export function toAdjustmentInput(values: RequestValues, choice: MetricChoice, repId: string): AdjustmentInput | null {
  if (values.periodTotal === null || values.periodTotal === undefined) return null;
  return {
    planId: choice.planId,
    repId,
    metric: choice.metricCode,
    periodTotal: values.periodTotal,
    effectiveDate: values.effectiveDate,
    reason: values.reason,
    reasonText: values.reasonText.trim(),
    kind: 'REQUEST',
  };
}

/**
 * A query's refusal as payload-like errors: the API puts the code and the input it names in
 * each GraphQL error's extensions (`{code: 'INVALID', field: 'periodTotal'}`).
 */
export function queryErrors(error: Pick<CombinedError, 'graphQLErrors' | 'networkError' | 'message'>): UserErrorLike[] {
  if (error.graphQLErrors.length === 0) return [{ code: 'INVALID', field: null, message: error.networkError?.message ?? error.message }];
  return error.graphQLErrors.map((e) => {
    const ext = (e.extensions ?? {}) as { code?: string; field?: string | null };
    return { code: (ext.code ?? 'INVALID') as ErrorCode, field: ext.field ?? null, message: e.message };
  });
}

/** Errors renamed to the form's inputs: those naming an input it has keep the name, the rest lose it. */
export function onFormFields(errors: readonly UserErrorLike[]): UserErrorLike[] {
  return errors.map((e) => {
    const name = e.field ? FORM_FIELDS[e.field] : undefined;
    return { ...e, field: name ?? null };
  });
}

/** Today as an ISO day in the browser's zone (what a person means by "today"). */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
