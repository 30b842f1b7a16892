import { Card, Col, Row, Statistic } from 'antd';

export interface Stat {
  key: string;
  title: string;
  value: number;
}

export function StatCards({ stats }: { stats: Stat[] }) {
  return (
    <Row gutter={[16, 16]}>
      {stats.map((stat) => (
        <Col key={stat.key} xs={12} md={8} xl={4}>
          <Card size="small" variant="borderless">
            <Statistic title={stat.title} value={stat.value} data-testid={`stat-${stat.key}`} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
