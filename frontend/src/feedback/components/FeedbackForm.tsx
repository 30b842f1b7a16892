import { useState } from 'react';
import { App, Button, Flex, Input, Segmented, Tag, Typography } from 'antd';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import type { FeedbackRating, FeedbackTag } from '../../gql/graphql';
import { giveFeedbackMutation } from '../mutations';
import { draftProblems, MAX_TAGS, MAX_TEXT, RATINGS, TAGS, toggleTag } from '../feedback';

interface Props {
  planId: string;
  repId: string;
  metric: string;
  onSent: () => void;
}

/** Rate a target (segmented), give up to five reasons (chips) and a comment. */
export function FeedbackForm({ planId, repId, metric, onSent }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [rating, setRating] = useState<FeedbackRating | null>(null);
  const [tags, setTags] = useState<FeedbackTag[]>([]);
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [state, give] = useMutation(giveFeedbackMutation);
  const problems = draftProblems({ rating, tags, comment });

  async function submit() {
    setTouched(true);
    if (problems.length || !rating) return;
    const result = await give({ input: { planId, repId, metric, rating, tags, comment: comment.trim() } });
    const payload = result.data?.giveFeedback;
    if (!payload) return;
    setErrors(payload.errors);
    if (payload.errors.length) return;
    message.success(t('feedback.sent'));
    setRating(null);
    setTags([]);
    setComment('');
    setTouched(false);
    onSent();
  }

  return (
    <Flex vertical gap={8} data-testid="feedback-form">
      <Typography.Text strong>{t('feedback.give')}</Typography.Text>
      <div style={{ overflowX: 'auto' }}>
        <Segmented<FeedbackRating>
          data-testid="feedback-rating"
          value={rating ?? undefined}
          onChange={setRating}
          options={RATINGS.map((r) => ({ value: r, label: <span data-testid={`feedback-rating-${r}`}>{t(`feedback.ratings.${r}`)}</span> }))}
        />
      </div>
      <Typography.Text type="secondary">{t('feedback.tagsLabel')}</Typography.Text>
      <Flex wrap gap={4} data-testid="feedback-tags">
        {TAGS.map((tag) => (
          <Tag.CheckableTag
            key={tag}
            data-testid={`feedback-tag-${tag}`}
            checked={tags.includes(tag)}
            onChange={() => setTags((prev) => toggleTag(prev, tag))}
            style={{ opacity: !tags.includes(tag) && tags.length >= MAX_TAGS ? 0.5 : 1 }}
          >
            {t(`feedback.tags.${tag}`)}
          </Tag.CheckableTag>
        ))}
      </Flex>
      <Input.TextArea
        data-testid="feedback-comment"
        aria-label={t('feedback.comment')}
        placeholder={t('feedback.commentPlaceholder')}
        value={comment}
        maxLength={MAX_TEXT}
        showCount
        autoSize={{ minRows: 2, maxRows: 6 }}
        status={touched && problems.includes('commentRequired') ? 'error' : undefined}
        onChange={(e) => setComment(e.target.value)}
      />
      {touched && problems.includes('commentRequired') && <Typography.Text type="danger">{t('feedback.commentRequired')}</Typography.Text>}
      <PayloadErrorAlert errors={errors} />
      <div>
        <Button type="primary" data-testid="feedback-submit" disabled={!rating} loading={state.fetching} onClick={submit}>
          {t('feedback.submit')}
        </Button>
      </div>
    </Flex>
  );
}
