import { Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportKind, ImportKindsQuery, ImportRunFieldsFragment } from '../../gql/graphql';

type ImportFileInfo = ImportRunFieldsFragment['files'][number];
type KindInfo = ImportKindsQuery['importKinds'][number];

interface Props {
  file: ImportFileInfo;
  kinds: readonly KindInfo[];
  kind: ImportKind | null;
  mapping: Record<string, string>;
  onKind: (kind: ImportKind) => void;
  onMap: (field: string, column: string | undefined) => void;
  onSuggest: () => void;
}

/** One uploaded file: its kind and, per field of that kind, the column it comes from. */
export function MappingCard({ file, kinds, kind, mapping, onKind, onMap, onSuggest }: Props) {
  const { t } = useTranslation();
  const info = kinds.find((k) => k.kind === kind);
  const suggested = new Map(file.suggestions.map((s) => [s.field, s]));
  return (
    <Card
      size="small"
      data-testid={`mapping-${file.fileName}`}
      title={
        <Space>
          {file.fileName}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('imports.columnCount', { count: file.columns.length })}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space>
          <Select<ImportKind>
            data-testid="mapping-kind"
            style={{ width: 170 }}
            placeholder={t('imports.kind')}
            value={kind ?? undefined}
            options={kinds.map((k) => ({ value: k.kind, label: t(`imports.kinds.${k.kind}`) }))}
            onChange={onKind}
          />
          <Button size="small" onClick={onSuggest}>
            {t('imports.applySuggestions')}
          </Button>
        </Space>
      }
    >
      <Table
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={info?.fields ?? []}
        columns={[
          {
            title: t('imports.field'),
            dataIndex: 'name',
            render: (name: string, f) => (
              <Space size={4}>
                <Typography.Text code>{name}</Typography.Text>
                {f.required && <Tag color="red">{t('imports.required')}</Tag>}
              </Space>
            ),
          },
          { title: t('imports.description'), dataIndex: 'description', ellipsis: true },
          {
            title: t('imports.column'),
            key: 'column',
            width: 240,
            render: (_, f) => (
              <Select
                allowClear
                size="small"
                style={{ width: 220 }}
                data-testid={`mapping-column-${f.name}`}
                value={mapping[f.name]}
                placeholder={t('imports.notMapped')}
                options={file.columns.map((c) => ({ value: c, label: c }))}
                onChange={(column?: string) => onMap(f.name, column)}
              />
            ),
          },
          {
            title: t('imports.suggestion'),
            key: 'suggestion',
            render: (_, f) => {
              const s = suggested.get(f.name);
              return s ? (
                <Typography.Text type="secondary">
                  {s.column} ({Math.round(s.score)}%)
                </Typography.Text>
              ) : null;
            },
          },
        ]}
      />
    </Card>
  );
}
