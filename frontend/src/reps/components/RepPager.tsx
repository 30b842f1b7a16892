import { Button, Flex, Select, Space, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export const PAGE_SIZES = [10, 20, 50, 100];

interface Props {
  page: number;
  pageCount: number;
  totalCount: number;
  hasPrev: boolean;
  hasNext: boolean;
  onPrev: () => void;
  onNext: () => void;
  pageSize: number;
  onPageSizeChange?: (size: number) => void;
  disabled?: boolean;
}

/** Previous / next over a cursor connection, with the position read from totalCount. */
export function RepPager(props: Props) {
  const { t } = useTranslation();
  const { page, pageCount, totalCount, hasPrev, hasNext, onPrev, onNext, pageSize, onPageSizeChange, disabled } = props;
  return (
    <Flex justify="space-between" align="center" style={{ marginTop: 16 }} wrap gap={8}>
      <Typography.Text type="secondary" data-testid="reps-page-info">
        {t('reps.pageInfo', { page: page + 1, pages: pageCount, total: totalCount })}
      </Typography.Text>
      <Space>
        {onPageSizeChange && (
          <Select
            data-testid="reps-page-size"
            value={pageSize}
            onChange={onPageSizeChange}
            options={PAGE_SIZES.map((size) => ({ value: size, label: t('reps.pageSize', { size }) }))}
            style={{ width: 120 }}
          />
        )}
        <Button icon={<LeftOutlined />} disabled={!hasPrev || disabled} onClick={onPrev} data-testid="reps-prev">
          {t('reps.prev')}
        </Button>
        <Button disabled={!hasNext || disabled} onClick={onNext} data-testid="reps-next">
          {t('reps.next')} <RightOutlined />
        </Button>
      </Space>
    </Flex>
  );
}
