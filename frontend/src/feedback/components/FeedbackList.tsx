import { useState } from 'react';
import { App, Button, Flex, Input, List, Tag, Typography } from 'antd';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { useFormat } from '../../i18n/format';
import type { TargetFeedbackFieldsFragment } from '../../gql/graphql';
import { respondToFeedbackMutation } from '../mutations';
import { MAX_TEXT, RATING_COLORS } from '../feedback';

interface Props {
  items: readonly TargetFeedbackFieldsFragment[];
  /** Whether the caller may respond to this item. */
  canRespond: (item: TargetFeedbackFieldsFragment) => boolean;
  onResponded: () => void;
}

/** Earlier feedback, newest first, each with its response or (for a decider) a way to give one. */
export function FeedbackList({ items, canRespond, onResponded }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <List
      size="small"
      data-testid="feedback-list"
      locale={{ emptyText: t('feedback.none') }}
      dataSource={[...items]}
      renderItem={(item) => (
        <List.Item data-testid="feedback-item" style={{ display: 'block' }}>
          <Flex wrap gap={4} align="center">
            <Tag color={RATING_COLORS[item.rating]} data-testid="feedback-item-rating">
              {t(`feedback.ratings.${item.rating}`)}
            </Tag>
            {item.tags.map((tag) => (
              <Tag key={tag}>{t(`feedback.tags.${tag}`)}</Tag>
            ))}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {item.author} · {item.authorRole === 'REP' ? t('feedback.byRep') : t('feedback.byManager')} · {fmt.dateTime(item.createdAt)}
            </Typography.Text>
          </Flex>
          {item.comment && (
            <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="feedback-item-comment">
              {item.comment}
            </Typography.Paragraph>
          )}
          {item.response ? (
            <div style={{ borderLeft: '3px solid #d9d9d9', paddingLeft: 8, marginTop: 4 }} data-testid="feedback-item-response">
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('feedback.respondedBy', { user: item.respondedBy ?? '', when: fmt.dateTime(item.respondedAt) })}
              </Typography.Text>
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{item.response}</Typography.Paragraph>
            </div>
          ) : canRespond(item) ? (
            <RespondForm item={item} onResponded={onResponded} />
          ) : (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('feedback.awaiting')}
            </Typography.Text>
          )}
        </List.Item>
      )}
    />
  );
}

function RespondForm({ item, onResponded }: { item: TargetFeedbackFieldsFragment; onResponded: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [state, respond] = useMutation(respondToFeedbackMutation);

  async function submit() {
    if (!text.trim()) return;
    const result = await respond({ input: { feedbackId: item.id, expectedVersion: item.version, response: text.trim() } });
    const payload = result.data?.respondToFeedback;
    if (!payload) return;
    setErrors(payload.errors);
    if (payload.errors.length) return;
    message.success(t('feedback.responded'));
    setOpen(false);
    setText('');
    onResponded();
  }

  if (!open)
    return (
      <Button size="small" data-testid="feedback-respond" onClick={() => setOpen(true)}>
        {t('feedback.respond')}
      </Button>
    );
  return (
    <Flex vertical gap={4} style={{ marginTop: 4 }}>
      <Input.TextArea
        data-testid="feedback-response"
        aria-label={t('feedback.response')}
        placeholder={t('feedback.responsePlaceholder')}
        value={text}
        maxLength={MAX_TEXT}
        autoSize={{ minRows: 2, maxRows: 6 }}
        onChange={(e) => setText(e.target.value)}
      />
      <PayloadErrorAlert errors={errors} onReload={onResponded} />
      <Flex gap={4}>
        <Button size="small" type="primary" data-testid="feedback-response-send" disabled={!text.trim()} loading={state.fetching} onClick={submit}>
          {t('feedback.sendResponse')}
        </Button>
        <Button size="small" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
      </Flex>
    </Flex>
  );
}
