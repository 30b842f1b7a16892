import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProgressFiguresFieldsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { designGap, paceTone } from '../figures';
import { StatCard } from './StatCard';

/** Attainment, pace, projection, the share projected to reach target against the design point, on pace, at risk. */
export function HeadlineCards({ figures, atRiskCount }: { figures: ProgressFiguresFieldsFragment; atRiskCount: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const gap = designGap(figures.shareProjected, figures.designPoint);
  const signed = (points: number) => (points > 0 ? `+${points}` : String(points));
  const cards = [
    {
      testId: 'attainment',
      title: t('tracking.attainment'),
      value: fmt.percent(figures.attainment, 1),
      hint: t('tracking.attainmentHint', { actual: fmt.amount(figures.actual), target: fmt.amount(figures.target) }),
    },
    { testId: 'pace', title: t('tracking.pace'), value: fmt.percent(figures.pace), hint: t('tracking.paceHint', { expected: fmt.amount(figures.expected) }), tone: paceTone(figures.pace) },
    {
      testId: 'projected',
      title: t('tracking.projected'),
      value: fmt.percent(figures.projectedAttainment),
      hint: t('tracking.projectedHint', { projected: fmt.amount(figures.projected) }),
      tone: paceTone(figures.projectedAttainment),
    },
    {
      testId: 'share-projected',
      title: t('tracking.shareProjected'),
      value: fmt.percent(figures.shareProjected),
      hint: gap ? t('tracking.shareProjectedHint', { design: fmt.percent(figures.designPoint), gap: signed(gap.points) }) : t('tracking.shareProjectedNoDesign'),
      tone: gap?.tone ?? 'neutral',
    },
    { testId: 'on-pace', title: t('tracking.onPace'), value: fmt.percent(figures.shareOnPace), hint: t('tracking.onPaceHint', { count: figures.reps }) },
    { testId: 'at-risk', title: t('tracking.atRisk'), value: fmt.number(atRiskCount, 0), hint: t('tracking.atRiskHint'), tone: atRiskCount > 0 ? ('bad' as const) : ('good' as const) },
  ];
  return (
    <Row gutter={[12, 12]} data-testid="headline-cards">
      {cards.map((card) => (
        <Col key={card.testId} xs={12} md={8} xl={4}>
          <StatCard {...card} />
        </Col>
      ))}
    </Row>
  );
}
