import { Button, Checkbox, Flex, Input, Select, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { buildOrgTree } from '../../orgTree/buildTree';
import { toAntTree } from '../../orgTree/components/orgTreeData';
import type { RepFilterOptionsQuery } from '../../gql/graphql';

export interface RepFilterValues {
  orgUnitId?: string;
  rankCodes: string[];
  regionCodes: string[];
  search: string;
  includeLeavers: boolean;
}

interface Props {
  value: RepFilterValues;
  options?: RepFilterOptionsQuery;
  onChange: (value: RepFilterValues) => void;
  onReset: () => void;
}

export function RepFilters({ value, options, onChange, onReset }: Props) {
  const { t } = useTranslation();
  const treeData = useMemo(() => toAntTree(buildOrgTree(options?.orgUnits ?? [])), [options?.orgUnits]);
  const ranks = [...(options?.ranks ?? [])].sort((a, b) => a.level - b.level);

  return (
    <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
      <Input.Search
        data-testid="reps-search"
        allowClear
        placeholder={t('reps.search')}
        defaultValue={value.search}
        key={value.search === '' ? 'empty' : 'filled'}
        onSearch={(search) => onChange({ ...value, search: search.trim() })}
        style={{ width: 220 }}
      />
      <TreeSelect
        data-testid="reps-org-filter"
        allowClear
        showSearch
        treeNodeFilterProp="label"
        treeNodeLabelProp="label"
        placeholder={t('reps.orgFilter')}
        value={value.orgUnitId}
        treeData={treeData}
        treeDefaultExpandedKeys={treeData.map((n) => n.key)}
        onChange={(orgUnitId?: string) => onChange({ ...value, orgUnitId: orgUnitId ?? undefined })}
        style={{ width: 240 }}
        popupMatchSelectWidth={320}
      />
      <Select
        data-testid="reps-rank-filter"
        mode="multiple"
        allowClear
        maxTagCount="responsive"
        placeholder={t('reps.rankFilter')}
        value={value.rankCodes}
        options={ranks.map((rank) => ({ value: rank.code, label: `${rank.code} · ${rank.name}` }))}
        onChange={(rankCodes: string[]) => onChange({ ...value, rankCodes })}
        style={{ width: 220 }}
      />
      <Select
        data-testid="reps-region-filter"
        mode="multiple"
        allowClear
        maxTagCount="responsive"
        placeholder={t('reps.regionFilter')}
        value={value.regionCodes}
        options={(options?.regions ?? []).map((region) => ({ value: region.code, label: region.name }))}
        onChange={(regionCodes: string[]) => onChange({ ...value, regionCodes })}
        style={{ width: 220 }}
      />
      <Checkbox
        data-testid="reps-include-leavers"
        checked={value.includeLeavers}
        onChange={(e) => onChange({ ...value, includeLeavers: e.target.checked })}
      >
        {t('reps.includeLeavers')}
      </Checkbox>
      <Button onClick={onReset} data-testid="reps-reset">
        {t('reps.reset')}
      </Button>
    </Flex>
  );
}
