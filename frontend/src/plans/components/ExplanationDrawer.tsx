import { Descriptions, Drawer, Empty, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState';
import { repTargetsQuery } from '../queries';
import { formatAmount, formatProbability, probabilityColor } from '../format';
import { FeedbackWidget } from '../../feedback/components/FeedbackWidget';

interface Props {
  planId: string;
  metricCode: string;
  repId: string | null;
  onClose: () => void;
  /** Show the rep's feedback on this target (active and closed plans). */
  feedback?: boolean;
}

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** A rep's targets month by month, the validation flags, the explanation's components and the peers. */
export function ExplanationDrawer({ planId, metricCode, repId, onClose, feedback = false }: Props) {
  const { t } = useTranslation();
  const [{ data, fetching, error }] = useQuery({
    query: repTargetsQuery,
    variables: { planId, repId: repId ?? '', metricCode },
    pause: !repId,
    requestPolicy: 'network-only',
  });
  const rep = data?.planTargets.items[0];
  const targets = rep?.targets ?? [];
  const explanation = asRecord(targets[0]?.explanation);
  const components = asRecord(explanation.components);
  const flags = [...new Set(targets.flatMap((x) => x.flags))];
  return (
    <Drawer open={!!repId} onClose={onClose} size="large" title={rep ? `${rep.repName} · ${rep.rankCode}` : t('plans.explain')} data-testid="explanation-drawer">
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {!rep ? (
          <Empty />
        ) : (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <div data-testid="explanation-flags">
              <Typography.Title level={5}>{t('plans.flags')}</Typography.Title>
              {flags.length === 0 ? <Typography.Text type="secondary">{t('plans.noFlags')}</Typography.Text> : flags.map((f) => <Tag key={f} color="orange">{t(`plans.apiFlag.${f}` as 'plans.apiFlag.vs_history', { defaultValue: f })}</Tag>)}
            </div>
            <Descriptions size="small" bordered column={1} title={t('plans.components')} data-testid="explanation-components">
              {Object.entries(components).map(([key, value]) => (
                <Descriptions.Item key={key} label={t(`plans.component.${key}` as 'plans.component.history', { defaultValue: key })}>
                  {typeof value === 'number' ? formatAmount(value) : String(value)}
                </Descriptions.Item>
              ))}
              {Object.entries(explanation)
                .filter(([key]) => key !== 'components')
                .map(([key, value]) => (
                  <Descriptions.Item key={key} label={t(`plans.component.${key}` as 'plans.component.history', { defaultValue: key })}>
                    {typeof value === 'number' ? (key.includes('probability') ? formatProbability(value) : formatAmount(value)) : String(value)}
                  </Descriptions.Item>
                ))}
            </Descriptions>
            <Table
              size="small"
              rowKey="month"
              pagination={false}
              dataSource={targets}
              columns={[
                { title: t('plans.month'), dataIndex: 'month', render: (m: string) => m.slice(0, 7) },
                { title: t('plans.target'), dataIndex: 'value', align: 'right', render: formatAmount },
                { title: t('plans.suggested'), dataIndex: 'suggested', align: 'right', render: formatAmount },
                { title: t('plans.probability'), dataIndex: 'probability', render: (p: number | null) => <Tag color={probabilityColor(p)}>{formatProbability(p)}</Tag> },
                { title: '', dataIndex: 'locked', render: (l: boolean) => (l ? <Tag color="gold">{t('plans.flag.locked')}</Tag> : null) },
              ]}
            />
            <div data-testid="explanation-peers">
              <Typography.Title level={5}>{t('plans.peers')}</Typography.Title>
              <Table
                size="small"
                rowKey={(p) => `${p.label}-${p.repId ?? ''}`}
                pagination={false}
                dataSource={data?.planPeers ?? []}
                columns={[
                  { title: t('plans.rep'), dataIndex: 'label', render: (l: string, p) => (p.isSelf ? <b>{l}</b> : l) },
                  { title: t('plans.periodTarget'), dataIndex: 'total', align: 'right', render: formatAmount },
                  { title: t('plans.probability'), dataIndex: 'probability', render: formatProbability },
                ]}
              />
            </div>
            {feedback && repId && <FeedbackWidget planId={planId} repId={repId} metric={metricCode} bare />}
          </Space>
        )}
      </QueryState>
    </Drawer>
  );
}
