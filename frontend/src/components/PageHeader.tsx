import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

export function PageHeader({ title, extra, testId }: { title: ReactNode; extra?: ReactNode; testId?: string }) {
  return (
    <Flex justify="space-between" align="center" style={{ marginBottom: 16 }} wrap gap={12}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid={testId}>
        {title}
      </Typography.Title>
      {extra}
    </Flex>
  );
}
