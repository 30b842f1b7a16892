import { App, Button, Descriptions, Divider, Drawer, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useClient, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/MeContext';
import { QueryState } from '../../components/QueryState';
import { useDrawerSize } from '../../components/useDrawerSize';
import { downloadBase64 } from '../../imports/download';
import { useFormat } from '../../i18n/format';
import { availableActions } from '../permissions';
import { monthDiff } from '../proposal';
import { adjustmentAttachmentQuery, adjustmentRequestQuery } from '../queries';
import { AbsorbersTable } from '../components/AbsorbersTable';
import { MonthDiff } from '../components/MonthDiff';
import { ProposalSummary } from '../components/ProposalSummary';
import { StatusTag } from '../components/StatusTag';
import { TargetHistory } from '../components/TargetHistory';
import { DecisionPanel } from './DecisionPanel';

interface Props {
  requestId?: string;
  onClose: () => void;
  /** After a decision or a withdrawal (the list reloads). */
  onChanged: () => void;
}

/** One request: what was asked and why, the proposal month by month, who absorbs it, the history, and the caller's actions. */
export function AdjustmentDrawer({ requestId, onClose, onChanged }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const client = useClient();
  const { message } = App.useApp();
  const size = useDrawerSize(820);
  const [{ data, fetching, error }, refetch] = useQuery({ query: adjustmentRequestQuery, variables: { id: requestId ?? '' }, pause: !requestId, requestPolicy: 'cache-and-network' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const request = data?.adjustmentRequest;
  const proposal = request?.proposal;
  const actions = request && me ? availableActions(request, { username: me.username, actions: me.actions, repId: me.repId }) : [];

  async function download() {
    if (!requestId) return;
    const result = await client.query(adjustmentAttachmentQuery, { requestId }, { requestPolicy: 'network-only' }).toPromise();
    const file = result.data?.adjustmentAttachment;
    if (file) downloadBase64(file.fileName, file.contentType, file.base64);
    else void message.info(t('adjustments.attachmentNone'));
  }

  return (
    <Drawer open={!!requestId} onClose={onClose} size={size} title={t('adjustments.detailsTitle')} data-testid="adjustment-drawer" destroyOnHidden>
      <QueryState fetching={fetching} error={error} hasData={!!request} onRetry={reload}>
        {request && (
          <>
            <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
              <Descriptions.Item label={t('adjustments.rep')}>{request.subjectRep?.name ?? t('adjustments.teammate')}</Descriptions.Item>
              <Descriptions.Item label={t('adjustments.status')}>
                <StatusTag status={request.status} />
              </Descriptions.Item>
              <Descriptions.Item label={t('adjustments.reason')}>{t(`adjustments.reasons.${request.reason}`)}</Descriptions.Item>
              <Descriptions.Item label={t('adjustments.effectiveDate')}>{fmt.date(request.effectiveDate)}</Descriptions.Item>
              <Descriptions.Item label={t('adjustments.requestedBy')}>{request.requestedBy}</Descriptions.Item>
              <Descriptions.Item label={t('adjustments.created')}>{fmt.dateTime(request.createdAt)}</Descriptions.Item>
              <Descriptions.Item label={t('adjustments.reasonText')} span={{ xs: 1, sm: 2 }}>
                <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid="adjustment-reason-text">
                  {request.reasonText}
                </Typography.Paragraph>
              </Descriptions.Item>
              <Descriptions.Item label={t('adjustments.attachment')} span={{ xs: 1, sm: 2 }}>
                <Button size="small" icon={<PaperClipOutlined />} onClick={() => void download()} data-testid="adjustment-download">
                  {t('adjustments.download')}
                </Button>
              </Descriptions.Item>
              {request.decidedBy && (
                <Descriptions.Item label={t('adjustments.decisionReason')} span={{ xs: 1, sm: 2 }}>
                  <div>{t('adjustments.decidedBy', { who: request.decidedBy, when: fmt.dateTime(request.decidedAt) })}</div>
                  {request.decisionReason && <div>{request.decisionReason}</div>}
                </Descriptions.Item>
              )}
            </Descriptions>
            {actions.length > 0 && (
              <>
                <Divider />
                <DecisionPanel request={request} actions={actions} onReload={reload} onDone={() => { reload(); onChanged(); }} />
              </>
            )}
            {proposal && (
              <>
                <Divider titlePlacement="start">{t('adjustments.proposal.title')}</Divider>
                <ProposalSummary proposal={proposal} />
                <Typography.Title level={5}>{t('adjustments.months')}</Typography.Title>
                <MonthDiff rows={monthDiff(proposal)} />
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  {t('adjustments.absorbersTitle')}
                </Typography.Title>
                <AbsorbersTable absorbers={proposal.absorbers} />
              </>
            )}
            {request.subjectRepId && (
              <>
                <Divider />
                {/* Remounted on each new version: a decision adds revisions the cache cannot know of. */}
                <TargetHistory key={request.version} planId={request.planId} repId={request.subjectRepId} metric={request.metric} />
              </>
            )}
          </>
        )}
      </QueryState>
    </Drawer>
  );
}
