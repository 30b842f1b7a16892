import { Button, Col, Row, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AdjustmentProposalFieldsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { StatCard } from '../../tracking/components/StatCard';
import { formatProbability, probabilityTone } from '../../tracking/figures';
import { absorbedBy, offersSameDifficulty } from '../proposal';

interface Props {
  proposal: AdjustmentProposalFieldsFragment;
  /** Offer a button that puts the same-difficulty total in the form (the request or the approval). */
  onUseSameDifficulty?: (total: number) => void;
  /** The total currently in that form (the button hides when it already holds it). */
  current?: number | null;
}

/** The proposal's headline: new target, P before → after, the same-difficulty total, who absorbs it, the goal relief. */
export function ProposalSummary({ proposal, onUseSameDifficulty, current }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const s = proposal.subject;
  const absorbed = absorbedBy(proposal.absorbers);
  const same = proposal.sameDifficultyTotal;
  const signed = (value: number) => `${value > 0 ? '+' : ''}${fmt.amount(value)}`;

  return (
    <div data-testid="proposal-summary">
      <Row gutter={[12, 12]}>
        <Col xs={12} lg={6}>
          <StatCard testId="new-target" title={t('adjustments.proposal.newTarget')} value={fmt.amount(s.totalAfter)} hint={t('adjustments.proposal.fromTo', { before: fmt.amount(s.totalBefore), after: fmt.amount(s.totalAfter) })} />
        </Col>
        <Col xs={12} lg={6}>
          <StatCard
            testId="probability"
            title={t('adjustments.proposal.probability')}
            value={formatProbability(s.probabilityAfter, fmt)}
            tone={probabilityTone(s.probabilityAfter)}
            hint={
              <Tooltip title={t('adjustments.proposal.probabilityHint')}>
                <span data-testid="probability-change">{t('adjustments.proposal.fromTo', { before: formatProbability(s.probabilityBefore, fmt), after: formatProbability(s.probabilityAfter, fmt) })}</span>
              </Tooltip>
            }
          />
        </Col>
        <Col xs={12} lg={6}>
          <StatCard
            testId="same-difficulty"
            title={t('adjustments.proposal.sameDifficulty')}
            value={fmt.amount(same)}
            hint={
              same === null || same === undefined ? (
                t('adjustments.proposal.noSameDifficulty')
              ) : (
                <>
                  <Tooltip title={t('adjustments.proposal.sameDifficultyHint')}>
                    <span>{t('adjustments.proposal.actualToDate', { amount: fmt.amount(s.actualToDate) })}</span>
                  </Tooltip>
                  {onUseSameDifficulty && offersSameDifficulty(same, current) && (
                    <Button size="small" type="link" data-testid="use-same-difficulty" onClick={() => onUseSameDifficulty(same)}>
                      {t('adjustments.proposal.useSameDifficulty')}
                    </Button>
                  )}
                </>
              )
            }
          />
        </Col>
        <Col xs={12} lg={6}>
          <StatCard
            testId="goal-relief"
            title={t('adjustments.proposal.goalRelief')}
            value={fmt.amount(proposal.goalRelief)}
            hint={Math.abs(proposal.goalRelief) > 1e-9 ? t('adjustments.proposal.goalReliefHint') : t('adjustments.proposal.noGoalRelief')}
          />
        </Col>
      </Row>
      <Typography.Paragraph style={{ marginTop: 12 }} data-testid="absorbers-sentence">
        {t('adjustments.proposal.absorbers', { count: absorbed.count, amount: signed(absorbed.total) })}
      </Typography.Paragraph>
    </div>
  );
}
