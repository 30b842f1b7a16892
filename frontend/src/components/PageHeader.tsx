import { useEffect, type ReactNode } from 'react';
import { Flex, Typography } from 'antd';

/** The page's title, also shown in the browser tab (a plain-text `documentTitle` when the title is not). */
export function PageHeader({
  title,
  extra,
  testId,
  documentTitle,
}: {
  title: ReactNode;
  extra?: ReactNode;
  testId?: string;
  documentTitle?: string;
}) {
  const tabTitle = documentTitle ?? (typeof title === 'string' ? title : undefined);
  useEffect(() => {
    if (tabTitle) document.title = `${tabTitle} · Quotient`;
  }, [tabTitle]);
  return (
    <Flex justify="space-between" align="center" style={{ marginBottom: 16 }} wrap gap={12}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid={testId}>
        {title}
      </Typography.Title>
      {extra}
    </Flex>
  );
}
