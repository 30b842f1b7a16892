import type { RepFilter, RepSortField, SortDirection } from '../gql/graphql';
import type { RepFilterValues } from './components/RepFilters';
import { PAGE_SIZES } from './components/RepPager';

export interface SortState {
  field: RepSortField;
  direction: SortDirection;
}

const SORT_FIELDS: RepSortField[] = ['NAME', 'HIRE_DATE', 'RANK', 'TEAM', 'EXTERNAL_ID'];
const DEFAULT_PAGE_SIZE = 20;

const list = (raw: string | null) => (raw ? raw.split(',').filter(Boolean) : []);

/** The reps page keeps its filters in the URL so a view can be shared and survives reload. */
export function readRepListState(params: URLSearchParams) {
  const field = params.get('sort') as RepSortField | null;
  const direction: SortDirection = params.get('dir') === 'DESC' ? 'DESC' : 'ASC';
  const size = Number(params.get('size'));
  const values: RepFilterValues = {
    orgUnitId: params.get('org') ?? undefined,
    rankCodes: list(params.get('rank')),
    regionCodes: list(params.get('region')),
    search: params.get('q') ?? '',
    includeLeavers: params.get('leavers') === '1',
  };
  return {
    values,
    sort: field && SORT_FIELDS.includes(field) ? ({ field, direction } satisfies SortState) : undefined,
    pageSize: PAGE_SIZES.includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

export function writeRepListState(state: ReturnType<typeof readRepListState>): URLSearchParams {
  const params = new URLSearchParams();
  const { values, sort, pageSize } = state;
  if (values.orgUnitId) params.set('org', values.orgUnitId);
  if (values.rankCodes.length) params.set('rank', values.rankCodes.join(','));
  if (values.regionCodes.length) params.set('region', values.regionCodes.join(','));
  if (values.search) params.set('q', values.search);
  if (values.includeLeavers) params.set('leavers', '1');
  if (sort) {
    params.set('sort', sort.field);
    params.set('dir', sort.direction);
  }
  if (pageSize !== DEFAULT_PAGE_SIZE) params.set('size', String(pageSize));
  return params;
}

/** Only the filters that are set go to the API. */
export function toRepFilter(values: RepFilterValues): RepFilter {
  const filter: RepFilter = {};
  if (values.orgUnitId) filter.orgUnitId = values.orgUnitId;
  if (values.rankCodes.length) filter.rankCodes = values.rankCodes;
  if (values.regionCodes.length) filter.regionCodes = values.regionCodes;
  if (values.search) filter.search = values.search;
  if (values.includeLeavers) filter.includeLeavers = true;
  return filter;
}
