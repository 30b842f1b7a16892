import { Card } from 'antd';
import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { repFilterOptionsQuery } from '../queries';
import { useRepPages } from '../hooks/useRepPages';
import { RepFilters } from '../components/RepFilters';
import { RepTable } from '../components/RepTable';
import { RepPager } from '../components/RepPager';
import { readRepListState, toRepFilter, writeRepListState } from '../urlState';

export default function RepListView() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readRepListState(params), [params]);
  const filter = useMemo(() => toRepFilter(state.values), [state.values]);
  const sort = state.sort ?? { field: 'NAME' as const, direction: 'ASC' as const };

  const [{ data: options }] = useQuery({ query: repFilterOptionsQuery });
  const pages = useRepPages({ filter, sort, pageSize: state.pageSize });
  // From the URL as it is now, not as this render saw it: a reset and a sort clicked in quick
  // succession must not write the filters just cleared back.
  const update = (next: Partial<typeof state>) =>
    setParams((current) => writeRepListState({ ...readRepListState(current), ...next }), { replace: true });

  return (
    <div data-testid="page-reps">
      <PageHeader title={t('reps.title')} />
      <Card>
        <RepFilters
          value={state.values}
          options={options}
          onChange={(values) => update({ values })}
          onReset={() => setParams(new URLSearchParams(), { replace: true })}
        />
        <QueryState fetching={pages.fetching} error={pages.error} hasData={pages.hasData} onRetry={pages.refetch}>
          <RepTable
            rows={pages.rows}
            loading={pages.fetching}
            sort={state.sort}
            onSortChange={(s) => update({ sort: s })}
            onOpen={(id) => navigate(`/reps/${encodeURIComponent(id)}`)}
          />
          <RepPager
            page={pages.page}
            pageCount={pages.pageCount}
            totalCount={pages.totalCount}
            hasPrev={pages.hasPrev}
            hasNext={pages.hasNext}
            onPrev={pages.prev}
            onNext={pages.next}
            pageSize={state.pageSize}
            onPageSizeChange={(pageSize) => update({ pageSize })}
            disabled={pages.fetching}
          />
        </QueryState>
      </Card>
    </div>
  );
}
