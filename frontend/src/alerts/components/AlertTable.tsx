import type { HTMLAttributes } from 'react';
import { Button, Card, Empty, Flex, Grid, List, Space, Table, Tooltip, Typography } from 'antd';
import { HistoryOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AlertFieldsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { figureSentence } from '../figures';
import { availableActions, type AlertAction } from '../transitions';
import { SeverityTag, StateTag } from './AlertTags';

interface Props {
  alerts: AlertFieldsFragment[];
  canHandle: boolean;
  loading?: boolean;
  onAction: (alert: AlertFieldsFragment, action: AlertAction) => void;
  onHistory: (alert: AlertFieldsFragment) => void;
}

function Actions({ alert, canHandle, onAction, onHistory }: Omit<Props, 'alerts' | 'loading'> & { alert: AlertFieldsFragment }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {availableActions(alert.state, canHandle).map((action) => (
        <Button key={action} size="small" type={action === 'resolve' ? 'primary' : 'default'} data-testid={`alert-${action}`} onClick={() => onAction(alert, action)}>
          {t(`alerts.${action}`)}
        </Button>
      ))}
      <Tooltip title={t('alerts.history')}>
        <Button size="small" type="text" icon={<HistoryOutlined />} aria-label={t('alerts.history')} data-testid="alert-history" onClick={() => onHistory(alert)} />
      </Tooltip>
    </Space>
  );
}

/** Alerts as a table on wide screens and as cards on a phone (no sideways scrolling at 390 px). */
export function AlertTable({ alerts, canHandle, loading, onAction, onHistory }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const screens = Grid.useBreakpoint();
  const repLink = (alert: AlertFieldsFragment) => (alert.rep ? <Link to={`/reps/${alert.rep.id}`}>{alert.rep.name}</Link> : t('common.none'));
  const opened = (alert: AlertFieldsFragment) => (
    <Tooltip title={fmt.dateTime(alert.openedAt)}>
      <span>{fmt.relative(alert.openedAt)}</span>
    </Tooltip>
  );

  if (screens.md === false) {
    return (
      <List
        data-testid="alerts-list"
        loading={loading}
        dataSource={alerts}
        locale={{ emptyText: <Empty description={t('alerts.empty')} /> }}
        pagination={alerts.length > 20 ? { pageSize: 20, size: 'small' } : false}
        renderItem={(alert) => (
          <Card size="small" style={{ marginBottom: 8 }} data-testid={`alert-row-${alert.id}`}>
            <Flex gap={6} wrap align="center">
              <SeverityTag severity={alert.severity} />
              <StateTag state={alert.state} />
              <Typography.Text strong>{repLink(alert)}</Typography.Text>
            </Flex>
            <Typography.Paragraph style={{ margin: '8px 0' }} data-testid="alert-sentence">
              {figureSentence(alert, t, fmt)}
            </Typography.Paragraph>
            <Typography.Text type="secondary">
              {alert.rule?.name} · {opened(alert)}
            </Typography.Text>
            <div style={{ marginTop: 8 }}>
              <Actions alert={alert} canHandle={canHandle} onAction={onAction} onHistory={onHistory} />
            </div>
          </Card>
        )}
      />
    );
  }

  return (
    <Table<AlertFieldsFragment>
      data-testid="alerts-table"
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={alerts}
      locale={{ emptyText: <Empty description={t('alerts.empty')} /> }}
      pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      onRow={(alert) => ({ 'data-testid': `alert-row-${alert.id}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('alerts.severity'), width: 96, render: (_, alert) => <SeverityTag severity={alert.severity} /> },
        { title: t('alerts.rep'), width: 140, render: (_, alert) => repLink(alert) },
        {
          title: t('alerts.what'),
          render: (_, alert) => (
            <>
              <div data-testid="alert-sentence">{figureSentence(alert, t, fmt)}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {alert.rule?.name}
              </Typography.Text>
            </>
          ),
        },
        { title: t('alerts.state'), width: 110, render: (_, alert) => <StateTag state={alert.state} /> },
        { title: t('alerts.opened'), width: 120, render: (_, alert) => opened(alert) },
        { title: t('common.actions'), width: 230, render: (_, alert) => <Actions alert={alert} canHandle={canHandle} onAction={onAction} onHistory={onHistory} /> },
      ]}
    />
  );
}
