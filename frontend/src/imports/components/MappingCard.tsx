import { Alert, AutoComplete, Button, Card, Input, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportKind, ImportKindsQuery, ImportRunFieldsFragment } from '../../gql/graphql';
import { DATE_ANSWERS, DATE_FORMAT_PRESETS, parseQuestion, type FileMapping } from '../mappingState';

type ImportFileInfo = ImportRunFieldsFragment['files'][number];
type KindInfo = ImportKindsQuery['importKinds'][number];

interface Props {
  file: ImportFileInfo;
  kinds: readonly KindInfo[];
  kind: ImportKind | null;
  mapping: FileMapping;
  /** Questions of the mapping as last saved (e.g. an ambiguous date column). */
  questions: readonly string[];
  saving?: boolean;
  onKind: (kind: ImportKind) => void;
  onMap: (field: string, column: string | undefined) => void;
  onConstant: (field: string, value: string) => void;
  onDateFormat: (field: string, format: string) => void;
  /** Answer a question: the date format of a field, saved at once. */
  onAnswer: (field: string, format: string) => void;
  onSuggest: () => void;
}

/** The questions a file's mapping must answer before its rows can be used. */
export function MappingQuestions({ questions, saving, onAnswer }: Pick<Props, 'questions' | 'saving' | 'onAnswer'>) {
  const { t } = useTranslation();
  if (!questions.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="mapping-questions"
      style={{ marginBottom: 12 }}
      title={t('imports.questionsTitle')}
      description={
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          {questions.map((text) => {
            const q = parseQuestion(text);
            if (!q.ambiguousDate || !q.field) return <div key={text}>{text}</div>;
            const field = q.field;
            return (
              <Space key={text} wrap data-testid={`question-${field}`}>
                <span>{t('imports.questionAmbiguousDate', { column: q.column ?? field, field })}</span>
                <Radio.Group
                  optionType="button"
                  size="small"
                  disabled={saving}
                  options={DATE_ANSWERS.map((format) => ({ value: format, label: t(`imports.dateAnswers.${format}`) }))}
                  onChange={(e) => onAnswer(field, String(e.target.value))}
                />
              </Space>
            );
          })}
        </Space>
      }
    />
  );
}

/** One uploaded file: its kind and, per field of that kind, the column it comes from, a fixed
 * value (or default for blank cells) and, for dates, the format. */
export function MappingCard({ file, kinds, kind, mapping, questions, saving, onKind, onMap, onConstant, onDateFormat, onAnswer, onSuggest }: Props) {
  const { t } = useTranslation();
  const info = kinds.find((k) => k.kind === kind);
  const suggested = new Map(file.suggestions.map((s) => [s.field, s]));
  const formatOptions = DATE_FORMAT_PRESETS.map((f) => ({ value: f, label: t(`imports.dateFormatNames.${f}`) }));
  return (
    <Card
      size="small"
      data-testid={`mapping-${file.fileName}`}
      title={
        <Space wrap>
          {file.fileName}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('imports.columnCount', { count: file.columns.length })}
          </Typography.Text>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text>{t('imports.kind')}</Typography.Text>
        <Select<ImportKind>
          data-testid="mapping-kind"
          style={{ width: 220, maxWidth: '100%' }}
          placeholder={t('imports.kindUnknown')}
          value={kind ?? undefined}
          options={kinds.map((k) => ({ value: k.kind, label: t(`imports.kinds.${k.kind}`, { defaultValue: k.kind }) }))}
          onChange={onKind}
        />
        <Button size="small" onClick={onSuggest} disabled={!kind}>
          {t('imports.applySuggestions')}
        </Button>
      </Space>
      <MappingQuestions questions={questions} saving={saving} onAnswer={onAnswer} />
      <Table
        size="small"
        rowKey="name"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={info?.fields ?? []}
        columns={[
          {
            title: t('imports.field'),
            dataIndex: 'name',
            fixed: 'left',
            render: (name: string, f) => (
              <Space size={4}>
                <Typography.Text code>{name}</Typography.Text>
                {f.required && <Tag color="red">{t('imports.required')}</Tag>}
              </Space>
            ),
          },
          { title: t('imports.description'), dataIndex: 'description', ellipsis: true, width: 220 },
          {
            title: t('imports.column'),
            key: 'column',
            render: (_, f) => (
              <Select
                allowClear
                size="small"
                style={{ width: 200 }}
                data-testid={`mapping-column-${f.name}`}
                value={mapping.columns[f.name]}
                placeholder={t('imports.notMapped')}
                options={file.columns.map((c) => ({ value: c, label: c }))}
                onChange={(column?: string) => onMap(f.name, column)}
              />
            ),
          },
          {
            title: t('imports.constant'),
            key: 'constant',
            render: (_, f) => (
              <Input
                size="small"
                allowClear
                style={{ width: 140 }}
                data-testid={`mapping-constant-${f.name}`}
                aria-label={`${t('imports.constant')}: ${f.name}`}
                placeholder={mapping.columns[f.name] ? t('imports.defaultPlaceholder') : t('imports.constantPlaceholder')}
                value={mapping.constants[f.name] ?? ''}
                onChange={(e) => onConstant(f.name, e.target.value)}
              />
            ),
          },
          {
            title: t('imports.dateFormat'),
            key: 'dateFormat',
            render: (_, f) =>
              f.type === 'date' ? (
                <AutoComplete
                  size="small"
                  allowClear
                  style={{ width: 170 }}
                  data-testid={`mapping-date-format-${f.name}`}
                  aria-label={`${t('imports.dateFormat')}: ${f.name}`}
                  disabled={!mapping.columns[f.name]}
                  placeholder={t('imports.dateFormatDetected')}
                  value={mapping.dateFormats[f.name] ?? ''}
                  options={formatOptions}
                  onChange={(value: string) => onDateFormat(f.name, value ?? '')}
                />
              ) : null,
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
