import type { ReactNode } from 'react';
import { Card, Statistic, Typography } from 'antd';
import { TONE_COLORS, type Tone } from '../figures';

/** One headline figure: title, value coloured by how good it is, a line of context. */
export function StatCard({ testId, title, value, hint, tone = 'neutral' }: { testId: string; title: string; value: string; hint?: ReactNode; tone?: Tone }) {
  return (
    <Card size="small" variant="borderless" style={{ height: '100%' }}>
      <Statistic title={title} value={value} styles={{ content: { color: TONE_COLORS[tone] } }} data-testid={`stat-${testId}`} />
      {hint && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`stat-${testId}-hint`}>
          {hint}
        </Typography.Text>
      )}
    </Card>
  );
}
