import type { RelaxationFamily, RelaxationFieldsFragment } from '../gql/graphql';

export type Relaxation = RelaxationFieldsFragment;

/** Soft constraint families, highest priority first (the order in which the solver keeps them). */
export const FAMILY_ORDER: RelaxationFamily[] = ['RANK', 'BAND', 'CAP', 'PHASING', 'MONOTONICITY'];

export interface RelaxationGroup {
  family: RelaxationFamily;
  items: Relaxation[];
}

/** Relaxations grouped by family in priority order; empty families are left out. */
export function groupRelaxations(items: readonly Relaxation[]): RelaxationGroup[] {
  return FAMILY_ORDER.map((family) => ({ family, items: items.filter((r) => r.family === family) })).filter(
    (g) => g.items.length > 0,
  );
}

/** The API's locale for an i18next language code. */
export function apiLocale(language: string): 'EN' | 'ZH_CN' {
  return language.toLowerCase().startsWith('zh') ? 'ZH_CN' : 'EN';
}
