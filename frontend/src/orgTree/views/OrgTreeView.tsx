import { Button, Card, Col, Descriptions, Empty, Row, Space, Tag } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMe } from '../../auth/MeContext';
import { can } from '../../auth/session';
import { OrgUnitModal } from '../components/OrgUnitModal';
import type { OrgUnitFieldsFragment } from '../../gql/graphql';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { orgUnitsQuery } from '../queries';
import { buildOrgTree, findNode } from '../buildTree';
import { OrgTreePanel } from '../components/OrgTreePanel';
import type { OrgNode } from '../components/orgTreeData';
import { useRepPages } from '../../reps/hooks/useRepPages';
import { RepTable } from '../../reps/components/RepTable';
import { RepPager } from '../../reps/components/RepPager';

const PAGE_SIZE = 10;

export default function OrgTreeView() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { orgUnitId } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: orgUnitsQuery });
  const roots = useMemo(() => buildOrgTree(data?.orgUnits ?? []), [data?.orgUnits]);
  const selected = orgUnitId ? findNode(roots, orgUnitId) : undefined;

  return (
    <div data-testid="page-org">
      <PageHeader title={t('org.title')} />
      <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={9} xl={8}>
            <Card size="small" styles={{ body: { maxHeight: 'calc(100vh - 190px)', overflow: 'auto' } }}>
              {data && (
                <OrgTreePanel
                  roots={roots}
                  selectedId={orgUnitId}
                  onSelect={(id) => navigate(`/org/${encodeURIComponent(id)}`)}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={15} xl={16}>
            {selected ? (
              <SelectedUnit
                key={selected.key}
                node={selected}
                units={data?.orgUnits ?? []}
                onReload={() => refetch({ requestPolicy: 'network-only' })}
                onOpenRep={(id) => navigate(`/reps/${encodeURIComponent(id)}`)}
              />
            ) : (
              <Card>
                <Empty description={t('org.selectHint')} />
              </Card>
            )}
          </Col>
        </Row>
      </QueryState>
    </div>
  );
}

interface SelectedUnitProps {
  node: OrgNode;
  units: readonly OrgUnitFieldsFragment[];
  onReload: () => void;
  onOpenRep: (id: string) => void;
}

function SelectedUnit({ node, units, onReload, onOpenRep }: SelectedUnitProps) {
  const { t } = useTranslation();
  const [sort] = useState({ field: 'NAME' as const, direction: 'ASC' as const });
  const [filter] = useState({ orgUnitId: node.key });
  const pages = useRepPages({ filter, sort, pageSize: PAGE_SIZE });
  const { unit } = node;
  const mayManage = can(useMe(), 'manage_org');
  const [modal, setModal] = useState<'create' | 'edit'>();

  return (
    <Card
      title={t('org.repsIn', { name: unit.name })}
      data-testid="org-selected"
      extra={
        mayManage && (
          <Space>
            {unit.kind !== 'TEAM' && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setModal('create')} data-testid="org-add-child">
                {t('org.addChild')}
              </Button>
            )}
            <Button size="small" icon={<EditOutlined />} onClick={() => setModal('edit')} data-testid="org-edit-unit">
              {t('org.editUnit')}
            </Button>
          </Space>
        )
      }
    >
      {modal && (
        <OrgUnitModal
          mode={modal}
          unit={unit}
          units={units}
          onReload={onReload}
          onClose={(changed) => {
            setModal(undefined);
            if (changed) onReload();
          }}
        />
      )}
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('org.code')}>{unit.code}</Descriptions.Item>
        <Descriptions.Item label={t('org.kind')}>
          <Tag>{t(`kind.${unit.kind}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('org.region')}>{unit.regionCode ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('org.repCount')}>
          <span data-testid="org-selected-count">{node.totalReps}</span>
        </Descriptions.Item>
      </Descriptions>
      <QueryState fetching={pages.fetching} error={pages.error} hasData={pages.hasData} onRetry={pages.refetch}>
        <RepTable compact testId="org-rep-table" rows={pages.rows} loading={pages.fetching} onOpen={onOpenRep} />
        <RepPager
          page={pages.page}
          pageCount={pages.pageCount}
          totalCount={pages.totalCount}
          hasPrev={pages.hasPrev}
          hasNext={pages.hasNext}
          onPrev={pages.prev}
          onNext={pages.next}
          pageSize={PAGE_SIZE}
          disabled={pages.fetching}
        />
      </QueryState>
    </Card>
  );
}
