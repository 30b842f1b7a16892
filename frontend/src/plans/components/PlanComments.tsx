import { useState } from 'react';
import { Button, Empty, Input, List, Space, Typography } from 'antd';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { commentOnPlanMutation } from '../mutations';
import { PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';

interface Comment {
  id: string;
  author: string;
  body: string;
  createdAt: string;
}

/** The plan's comments, oldest first, and a box to add one (for those who may plan or approve). */
export function PlanComments({ planId, comments, canComment, onAdded }: { planId: string; comments: readonly Comment[]; canComment: boolean; onAdded: () => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [state, comment] = useMutation(commentOnPlanMutation);
  async function add() {
    setErrors([]);
    const result = await comment({ planId, body: body.trim() });
    const payload = result.data?.commentOnPlan;
    if (!payload) return;
    if (payload.errors.length) {
      setErrors(payload.errors);
      return;
    }
    setBody('');
    onAdded();
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <PayloadErrorAlert errors={errors} />
      {comments.length === 0 ? (
        <Empty description={t('plans.noComments')} />
      ) : (
        <List
          data-testid="plan-comments"
          dataSource={[...comments]}
          renderItem={(c) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space>
                    <b>{c.author}</b>
                    <Typography.Text type="secondary">{new Date(c.createdAt).toLocaleString()}</Typography.Text>
                  </Space>
                }
                description={c.body}
              />
            </List.Item>
          )}
        />
      )}
      {canComment && (
        <>
          <Input.TextArea data-testid="plan-comment-body" rows={2} value={body} maxLength={2000} onChange={(e) => setBody(e.target.value)} placeholder={t('plans.commentPlaceholder')} />
          <Button type="primary" disabled={!body.trim()} loading={state.fetching} onClick={add} data-testid="plan-comment-add">
            {t('plans.addComment')}
          </Button>
        </>
      )}
    </Space>
  );
}
