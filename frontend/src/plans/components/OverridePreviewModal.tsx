import { Alert, Descriptions, List, Modal, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';
import type { Conflict } from './ConflictList';
import type { OverrideDiff, PreviewMove } from '../overridePreview';
import { probabilityColor } from '../format';

interface Props {
  open: boolean;
  diff: OverrideDiff | null;
  teamName: string;
  conflicts: readonly Conflict[];
  applying: boolean;
  onApply: () => void;
  onCancel: () => void;
}

/** What an override would do, before it is saved: who moves and by how much, the team against its goal. */
export function OverridePreviewModal({ open, diff, teamName, conflicts, applying, onApply, onCancel }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const signed = (v: number) => (Number.isNaN(v) ? fmt.amount(v) : `${v > 0 ? '+' : ''}${fmt.amount(v)}`);
  return (
    <Modal
      open={open}
      title={t('overridePreview.title')}
      okText={t('overridePreview.apply')}
      cancelText={t('common.cancel')}
      onOk={onApply}
      onCancel={onCancel}
      okButtonProps={{ loading: applying, 'data-testid': 'override-apply' } as ButtonProps}
      cancelButtonProps={{ 'data-testid': 'override-cancel' } as ButtonProps}
      width={720}
      data-testid="override-preview"
    >
      {diff && (
        <>
          <Typography.Paragraph data-testid="override-preview-summary">
            {diff.teammates ? t('overridePreview.moves', { count: diff.teammates }) : t('overridePreview.noMoves')}
          </Typography.Paragraph>
          <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('overridePreview.teamBefore', { team: teamName })}>{fmt.amount(diff.teamBefore)}</Descriptions.Item>
            <Descriptions.Item label={t('overridePreview.teamAfter')}>
              <span data-testid="override-preview-team">{fmt.amount(diff.teamAfter)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('overridePreview.goal')}>{fmt.amount(diff.goal)}</Descriptions.Item>
          </Descriptions>
          <Table<PreviewMove>
            size="small"
            rowKey="repId"
            data-testid="override-preview-moves"
            pagination={diff.moves.length > 8 ? { pageSize: 8, size: 'small' } : false}
            scroll={{ x: 520 }}
            dataSource={diff.moves}
            onRow={(m) => ({ 'data-testid': m.edited ? 'override-preview-edited' : 'override-preview-move' }) as object}
            columns={[
              {
                title: t('overridePreview.rep'),
                dataIndex: 'repName',
                render: (name: string, m) => (
                  <>
                    {name} {m.edited && <Tag>{t('overridePreview.edited')}</Tag>}
                  </>
                ),
              },
              { title: t('overridePreview.before'), dataIndex: 'before', align: 'right', render: (v: number) => fmt.amount(v) },
              { title: t('overridePreview.after'), dataIndex: 'after', align: 'right', render: (v: number) => fmt.amount(v) },
              { title: t('overridePreview.change'), dataIndex: 'delta', align: 'right', render: signed },
              {
                title: t('overridePreview.probability'),
                dataIndex: 'probabilityAfter',
                render: (p: number, m) => (
                  <span style={{ whiteSpace: 'nowrap' }}>
                    {fmt.percent(m.probabilityBefore, 1)} → <Tag color={probabilityColor(p)}>{fmt.percent(p, 1)}</Tag>
                  </span>
                ),
              },
            ]}
          />
        </>
      )}
      {conflicts.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="override-preview-conflicts"
          title={t('overridePreview.conflicts', { count: conflicts.length })}
          description={
            <List
              size="small"
              dataSource={[...conflicts]}
              renderItem={(c) => (
                <List.Item>
                  <Typography.Text>
                    <b>{c.node}</b> · {c.family}: {c.message}
                  </Typography.Text>
                </List.Item>
              )}
            />
          }
        />
      )}
    </Modal>
  );
}
