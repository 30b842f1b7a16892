import { Button, Card, Col, Empty, Result, Row, Segmented, Space } from 'antd';
import { ArrowLeftOutlined, RiseOutlined, SwapOutlined } from '@ant-design/icons';
import { useMe } from '../../auth/MeContext';
import { can } from '../../auth/session';
import { ChangeRankModal, TransferModal } from '../components/RepActionModals';
import { RecordLeavingModal } from '../../peopleChanges/components/RecordLeavingModal';
import { useMemo, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { repDetailsQuery } from '../queries';
import { seriesByMetric } from '../actualsSeries';
import { RepProfile } from '../components/RepProfile';
import { RankHistory } from '../components/RankHistory';
import { ActualsChart } from '../components/ActualsChart';

type Range = 12 | 24 | 0;

export default function RepDetailsView() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  // Opened from a link inside the app: go back (keeps the list's filters); opened directly: the list.
  const goBack = () => (location.key === 'default' ? navigate('/reps') : navigate(-1));
  const { repId = '' } = useParams();
  const [range, setRange] = useState<Range>(24);
  const [action, setAction] = useState<'rank' | 'transfer' | 'leaving'>();
  const mayManage = can(useMe(), 'manage_reps');
  const [{ data, fetching, error }, refetch] = useQuery({ query: repDetailsQuery, variables: { id: repId } });
  const rep = data?.rep;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const closeAction = () => {
    setAction(undefined);
    reload();
  };
  const { axis, series } = useMemo(() => seriesByMetric(rep?.actuals ?? [], range || undefined), [rep?.actuals, range]);
  const metrics = (data?.metrics ?? []).filter((m) => series.has(m.code));
  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={goBack} data-testid="rep-back">
      {t('common.backToList')}
    </Button>
  );

  return (
    <div data-testid="page-rep">
      <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        {data && !rep && <Result status="404" title={t('common.notFound')} extra={back} />}
        {rep && (
          <>
            <PageHeader
              title={<span data-testid="rep-name">{rep.name}</span>}
              documentTitle={rep.name}
              extra={
                <Space wrap>
                  {mayManage && !rep.leaveDate && (
                    <>
                      <Button icon={<RiseOutlined />} onClick={() => setAction('rank')} data-testid="rep-change-rank">
                        {t('rep.changeRank')}
                      </Button>
                      <Button icon={<SwapOutlined />} onClick={() => setAction('transfer')} data-testid="rep-transfer">
                        {t('rep.transfer')}
                      </Button>
                      <Button danger onClick={() => setAction('leaving')} data-testid="rep-record-leaving">
                        {t('peopleChanges.recordLeaving')}
                      </Button>
                    </>
                  )}
                  {back}
                </Space>
              }
            />
            <ChangeRankModal
              key={`rank-${rep.version}`}
              rep={rep}
              ranks={data?.ranks ?? []}
              open={action === 'rank'}
              onClose={closeAction}
              onReload={reload}
            />
            <RecordLeavingModal key={`leaving-${rep.version}`} rep={rep} open={action === 'leaving'} onClose={closeAction} onReload={reload} />
            <TransferModal
              key={`transfer-${rep.version}`}
              rep={rep}
              orgUnits={data?.orgUnits ?? []}
              open={action === 'transfer'}
              onClose={closeAction}
              onReload={reload}
            />
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={16}>
                <Card title={t('rep.profile')} size="small">
                  <RepProfile rep={rep} />
                </Card>
              </Col>
              <Col xs={24} xl={8}>
                <Card title={t('rep.rankHistory')} size="small" styles={{ body: { maxHeight: 220, overflow: 'auto' } }}>
                  <RankHistory entries={rep.rankHistory} />
                </Card>
              </Col>
            </Row>
            <Card
              title={t('rep.actuals')}
              size="small"
              style={{ marginTop: 16 }}
              extra={
                <Space>
                  <Segmented<Range>
                    size="small"
                    value={range}
                    onChange={setRange}
                    data-testid="actuals-range"
                    options={[
                      { value: 12, label: t('rep.last12') },
                      { value: 24, label: t('rep.last24') },
                      { value: 0, label: t('rep.all') },
                    ]}
                  />
                </Space>
              }
            >
              {metrics.length === 0 ? (
                <Empty description={t('rep.noActuals')} />
              ) : (
                <Row gutter={[16, 16]}>
                  {metrics.map((metric) => (
                    <Col key={metric.code} xs={24} lg={12}>
                      <Card type="inner" size="small" title={`${metric.name}${metric.unit ? ` (${metric.unit})` : ''}`}>
                        <ActualsChart
                          metricCode={metric.code}
                          metricName={metric.name}
                          unit={metric.unit}
                          kind={metric.kind}
                          axis={axis}
                          values={series.get(metric.code) ?? []}
                          locale={i18n.language}
                        />
                      </Card>
                    </Col>
                  ))}
                </Row>
              )}
            </Card>
          </>
        )}
      </QueryState>
    </div>
  );
}
