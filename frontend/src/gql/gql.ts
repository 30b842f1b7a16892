/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      csrfToken\n      me {\n        username\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignOut {\n    signOut {\n      ok\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.SignOutDocument,
    "\n  query Me {\n    me {\n      username\n      displayName\n      role\n      actions\n      via\n      repId\n      scopeOrgUnit {\n        id\n        name\n      }\n    }\n  }\n": typeof types.MeDocument,
    "\n  query DashboardOverview {\n    orgUnits {\n      id\n      kind\n    }\n    ranks {\n      id\n      code\n      name\n      level\n      repCount\n    }\n    regions {\n      id\n    }\n    metrics {\n      id\n      code\n      name\n      kind\n      unit\n      isInteger\n      description\n    }\n    reps(first: 1) {\n      totalCount\n    }\n  }\n": typeof types.DashboardOverviewDocument,
    "\n  subscription Changes($entity: String) {\n    changes(entity: $entity) {\n      entity\n      entityId\n      action\n      actor\n    }\n  }\n": typeof types.ChangesDocument,
    "\n  fragment OrgUnitFields on OrgUnit {\n    id\n    name\n    code\n    kind\n    parentId\n    depth\n    regionCode\n    repCount\n    version\n  }\n": typeof types.OrgUnitFieldsFragmentDoc,
    "\n  query OrgUnits {\n    orgUnits {\n      ...OrgUnitFields\n    }\n  }\n": typeof types.OrgUnitsDocument,
    "\n  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {\n    createOrgUnit(input: $input) {\n      orgUnit {\n        ...OrgUnitFields\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.CreateOrgUnitDocument,
    "\n  mutation UpdateOrgUnit($input: UpdateOrgUnitInput!) {\n    updateOrgUnit(input: $input) {\n      orgUnit {\n        ...OrgUnitFields\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.UpdateOrgUnitDocument,
    "\n  mutation UpdateRankSettings($input: UpdateRankSettingsInput!) {\n    updateRankSettings(input: $input) {\n      rank {\n        id\n        repCount\n        currentSettings {\n          id\n          ...RankSettingsFields\n        }\n        latestSettings {\n          id\n          ...RankSettingsFields\n        }\n        versions {\n          id\n          ...RankSettingsFields\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.UpdateRankSettingsDocument,
    "\n  mutation CreateRank($input: CreateRankInput!) {\n    createRank(input: $input) {\n      rank {\n        id\n        code\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.CreateRankDocument,
    "\n  mutation UpdateRank($input: UpdateRankInput!) {\n    updateRank(input: $input) {\n      rank {\n        id\n        name\n        description\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.UpdateRankDocument,
    "\n  fragment MetricFields on Metric {\n    id\n    code\n    name\n    kind\n    unit\n    isInteger\n  }\n": typeof types.MetricFieldsFragmentDoc,
    "\n  fragment RankSettingsFields on RankSettings {\n    id\n    version\n    effectiveFrom\n    createdAt\n    createdBy\n    note\n    promotionThreshold\n    promotionQuarters\n    minTenureMonths\n    demotionThreshold\n    demotionQuarters\n    metrics {\n      metric {\n        id\n        ...MetricFields\n      }\n      weight\n      baseline\n      floorMultiplier\n      ceilingMultiplier\n    }\n  }\n": typeof types.RankSettingsFieldsFragmentDoc,
    "\n  query RankLadder {\n    ranks {\n      id\n      code\n      name\n      level\n      description\n      repCount\n      currentSettings {\n        id\n        ...RankSettingsFields\n      }\n      latestSettings {\n        id\n        ...RankSettingsFields\n      }\n    }\n    metrics {\n      ...MetricFields\n    }\n  }\n": typeof types.RankLadderDocument,
    "\n  query RankVersions($id: ID!) {\n    rank(id: $id) {\n      id\n      code\n      name\n      currentSettings {\n        id\n        version\n      }\n      latestSettings {\n        id\n        version\n      }\n      versions {\n        id\n        ...RankSettingsFields\n      }\n    }\n  }\n": typeof types.RankVersionsDocument,
    "\n  mutation ChangeRepRank($input: ChangeRepRankInput!) {\n    changeRepRank(input: $input) {\n      rep {\n        id\n        version\n        rank {\n          id\n          code\n          name\n          level\n        }\n        rankHistory {\n          rank {\n            id\n            code\n            name\n          }\n          effectiveFrom\n          reason\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.ChangeRepRankDocument,
    "\n  mutation TransferRep($input: TransferRepInput!) {\n    transferRep(input: $input) {\n      rep {\n        id\n        version\n        team {\n          id\n          name\n          code\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.TransferRepDocument,
    "\n  query RepList($first: Int!, $after: String, $filter: RepFilter, $sort: RepSort) {\n    reps(first: $first, after: $after, filter: $filter, sort: $sort) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          externalId\n          name\n          territory\n          hireDate\n          leaveDate\n          tenureMonths\n          team {\n            id\n            name\n          }\n          rank {\n            id\n            code\n            name\n            level\n          }\n          region {\n            id\n            code\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.RepListDocument,
    "\n  query RepFilterOptions {\n    orgUnits {\n      ...OrgUnitFields\n    }\n    ranks {\n      id\n      code\n      name\n      level\n    }\n    regions {\n      id\n      code\n      name\n    }\n  }\n": typeof types.RepFilterOptionsDocument,
    "\n  query RepDetails($id: ID!) {\n    rep(id: $id) {\n      id\n      externalId\n      name\n      territory\n      hireDate\n      leaveDate\n      tenureMonths\n      version\n      team {\n        id\n        name\n        code\n      }\n      rank {\n        id\n        code\n        name\n        level\n      }\n      region {\n        id\n        code\n        name\n        marketPotential\n      }\n      rankHistory {\n        rank {\n          id\n          code\n          name\n        }\n        effectiveFrom\n        reason\n      }\n      actuals {\n        month\n        metricCode\n        value\n      }\n    }\n    metrics {\n      id\n      code\n      name\n      kind\n      unit\n      isInteger\n    }\n    ranks {\n      id\n      code\n      name\n      level\n    }\n    orgUnits {\n      ...OrgUnitFields\n    }\n  }\n": typeof types.RepDetailsDocument,
};
const documents: Documents = {
    "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      csrfToken\n      me {\n        username\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignOut {\n    signOut {\n      ok\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.SignOutDocument,
    "\n  query Me {\n    me {\n      username\n      displayName\n      role\n      actions\n      via\n      repId\n      scopeOrgUnit {\n        id\n        name\n      }\n    }\n  }\n": types.MeDocument,
    "\n  query DashboardOverview {\n    orgUnits {\n      id\n      kind\n    }\n    ranks {\n      id\n      code\n      name\n      level\n      repCount\n    }\n    regions {\n      id\n    }\n    metrics {\n      id\n      code\n      name\n      kind\n      unit\n      isInteger\n      description\n    }\n    reps(first: 1) {\n      totalCount\n    }\n  }\n": types.DashboardOverviewDocument,
    "\n  subscription Changes($entity: String) {\n    changes(entity: $entity) {\n      entity\n      entityId\n      action\n      actor\n    }\n  }\n": types.ChangesDocument,
    "\n  fragment OrgUnitFields on OrgUnit {\n    id\n    name\n    code\n    kind\n    parentId\n    depth\n    regionCode\n    repCount\n    version\n  }\n": types.OrgUnitFieldsFragmentDoc,
    "\n  query OrgUnits {\n    orgUnits {\n      ...OrgUnitFields\n    }\n  }\n": types.OrgUnitsDocument,
    "\n  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {\n    createOrgUnit(input: $input) {\n      orgUnit {\n        ...OrgUnitFields\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.CreateOrgUnitDocument,
    "\n  mutation UpdateOrgUnit($input: UpdateOrgUnitInput!) {\n    updateOrgUnit(input: $input) {\n      orgUnit {\n        ...OrgUnitFields\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.UpdateOrgUnitDocument,
    "\n  mutation UpdateRankSettings($input: UpdateRankSettingsInput!) {\n    updateRankSettings(input: $input) {\n      rank {\n        id\n        repCount\n        currentSettings {\n          id\n          ...RankSettingsFields\n        }\n        latestSettings {\n          id\n          ...RankSettingsFields\n        }\n        versions {\n          id\n          ...RankSettingsFields\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.UpdateRankSettingsDocument,
    "\n  mutation CreateRank($input: CreateRankInput!) {\n    createRank(input: $input) {\n      rank {\n        id\n        code\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.CreateRankDocument,
    "\n  mutation UpdateRank($input: UpdateRankInput!) {\n    updateRank(input: $input) {\n      rank {\n        id\n        name\n        description\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.UpdateRankDocument,
    "\n  fragment MetricFields on Metric {\n    id\n    code\n    name\n    kind\n    unit\n    isInteger\n  }\n": types.MetricFieldsFragmentDoc,
    "\n  fragment RankSettingsFields on RankSettings {\n    id\n    version\n    effectiveFrom\n    createdAt\n    createdBy\n    note\n    promotionThreshold\n    promotionQuarters\n    minTenureMonths\n    demotionThreshold\n    demotionQuarters\n    metrics {\n      metric {\n        id\n        ...MetricFields\n      }\n      weight\n      baseline\n      floorMultiplier\n      ceilingMultiplier\n    }\n  }\n": types.RankSettingsFieldsFragmentDoc,
    "\n  query RankLadder {\n    ranks {\n      id\n      code\n      name\n      level\n      description\n      repCount\n      currentSettings {\n        id\n        ...RankSettingsFields\n      }\n      latestSettings {\n        id\n        ...RankSettingsFields\n      }\n    }\n    metrics {\n      ...MetricFields\n    }\n  }\n": types.RankLadderDocument,
    "\n  query RankVersions($id: ID!) {\n    rank(id: $id) {\n      id\n      code\n      name\n      currentSettings {\n        id\n        version\n      }\n      latestSettings {\n        id\n        version\n      }\n      versions {\n        id\n        ...RankSettingsFields\n      }\n    }\n  }\n": types.RankVersionsDocument,
    "\n  mutation ChangeRepRank($input: ChangeRepRankInput!) {\n    changeRepRank(input: $input) {\n      rep {\n        id\n        version\n        rank {\n          id\n          code\n          name\n          level\n        }\n        rankHistory {\n          rank {\n            id\n            code\n            name\n          }\n          effectiveFrom\n          reason\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.ChangeRepRankDocument,
    "\n  mutation TransferRep($input: TransferRepInput!) {\n    transferRep(input: $input) {\n      rep {\n        id\n        version\n        team {\n          id\n          name\n          code\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.TransferRepDocument,
    "\n  query RepList($first: Int!, $after: String, $filter: RepFilter, $sort: RepSort) {\n    reps(first: $first, after: $after, filter: $filter, sort: $sort) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          externalId\n          name\n          territory\n          hireDate\n          leaveDate\n          tenureMonths\n          team {\n            id\n            name\n          }\n          rank {\n            id\n            code\n            name\n            level\n          }\n          region {\n            id\n            code\n            name\n          }\n        }\n      }\n    }\n  }\n": types.RepListDocument,
    "\n  query RepFilterOptions {\n    orgUnits {\n      ...OrgUnitFields\n    }\n    ranks {\n      id\n      code\n      name\n      level\n    }\n    regions {\n      id\n      code\n      name\n    }\n  }\n": types.RepFilterOptionsDocument,
    "\n  query RepDetails($id: ID!) {\n    rep(id: $id) {\n      id\n      externalId\n      name\n      territory\n      hireDate\n      leaveDate\n      tenureMonths\n      version\n      team {\n        id\n        name\n        code\n      }\n      rank {\n        id\n        code\n        name\n        level\n      }\n      region {\n        id\n        code\n        name\n        marketPotential\n      }\n      rankHistory {\n        rank {\n          id\n          code\n          name\n        }\n        effectiveFrom\n        reason\n      }\n      actuals {\n        month\n        metricCode\n        value\n      }\n    }\n    metrics {\n      id\n      code\n      name\n      kind\n      unit\n      isInteger\n    }\n    ranks {\n      id\n      code\n      name\n      level\n    }\n    orgUnits {\n      ...OrgUnitFields\n    }\n  }\n": types.RepDetailsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      csrfToken\n      me {\n        username\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      csrfToken\n      me {\n        username\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut {\n      ok\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut {\n      ok\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      username\n      displayName\n      role\n      actions\n      via\n      repId\n      scopeOrgUnit {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      username\n      displayName\n      role\n      actions\n      via\n      repId\n      scopeOrgUnit {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardOverview {\n    orgUnits {\n      id\n      kind\n    }\n    ranks {\n      id\n      code\n      name\n      level\n      repCount\n    }\n    regions {\n      id\n    }\n    metrics {\n      id\n      code\n      name\n      kind\n      unit\n      isInteger\n      description\n    }\n    reps(first: 1) {\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query DashboardOverview {\n    orgUnits {\n      id\n      kind\n    }\n    ranks {\n      id\n      code\n      name\n      level\n      repCount\n    }\n    regions {\n      id\n    }\n    metrics {\n      id\n      code\n      name\n      kind\n      unit\n      isInteger\n      description\n    }\n    reps(first: 1) {\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Changes($entity: String) {\n    changes(entity: $entity) {\n      entity\n      entityId\n      action\n      actor\n    }\n  }\n"): (typeof documents)["\n  subscription Changes($entity: String) {\n    changes(entity: $entity) {\n      entity\n      entityId\n      action\n      actor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrgUnitFields on OrgUnit {\n    id\n    name\n    code\n    kind\n    parentId\n    depth\n    regionCode\n    repCount\n    version\n  }\n"): (typeof documents)["\n  fragment OrgUnitFields on OrgUnit {\n    id\n    name\n    code\n    kind\n    parentId\n    depth\n    regionCode\n    repCount\n    version\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrgUnits {\n    orgUnits {\n      ...OrgUnitFields\n    }\n  }\n"): (typeof documents)["\n  query OrgUnits {\n    orgUnits {\n      ...OrgUnitFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {\n    createOrgUnit(input: $input) {\n      orgUnit {\n        ...OrgUnitFields\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {\n    createOrgUnit(input: $input) {\n      orgUnit {\n        ...OrgUnitFields\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateOrgUnit($input: UpdateOrgUnitInput!) {\n    updateOrgUnit(input: $input) {\n      orgUnit {\n        ...OrgUnitFields\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateOrgUnit($input: UpdateOrgUnitInput!) {\n    updateOrgUnit(input: $input) {\n      orgUnit {\n        ...OrgUnitFields\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRankSettings($input: UpdateRankSettingsInput!) {\n    updateRankSettings(input: $input) {\n      rank {\n        id\n        repCount\n        currentSettings {\n          id\n          ...RankSettingsFields\n        }\n        latestSettings {\n          id\n          ...RankSettingsFields\n        }\n        versions {\n          id\n          ...RankSettingsFields\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateRankSettings($input: UpdateRankSettingsInput!) {\n    updateRankSettings(input: $input) {\n      rank {\n        id\n        repCount\n        currentSettings {\n          id\n          ...RankSettingsFields\n        }\n        latestSettings {\n          id\n          ...RankSettingsFields\n        }\n        versions {\n          id\n          ...RankSettingsFields\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRank($input: CreateRankInput!) {\n    createRank(input: $input) {\n      rank {\n        id\n        code\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateRank($input: CreateRankInput!) {\n    createRank(input: $input) {\n      rank {\n        id\n        code\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRank($input: UpdateRankInput!) {\n    updateRank(input: $input) {\n      rank {\n        id\n        name\n        description\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateRank($input: UpdateRankInput!) {\n    updateRank(input: $input) {\n      rank {\n        id\n        name\n        description\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MetricFields on Metric {\n    id\n    code\n    name\n    kind\n    unit\n    isInteger\n  }\n"): (typeof documents)["\n  fragment MetricFields on Metric {\n    id\n    code\n    name\n    kind\n    unit\n    isInteger\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RankSettingsFields on RankSettings {\n    id\n    version\n    effectiveFrom\n    createdAt\n    createdBy\n    note\n    promotionThreshold\n    promotionQuarters\n    minTenureMonths\n    demotionThreshold\n    demotionQuarters\n    metrics {\n      metric {\n        id\n        ...MetricFields\n      }\n      weight\n      baseline\n      floorMultiplier\n      ceilingMultiplier\n    }\n  }\n"): (typeof documents)["\n  fragment RankSettingsFields on RankSettings {\n    id\n    version\n    effectiveFrom\n    createdAt\n    createdBy\n    note\n    promotionThreshold\n    promotionQuarters\n    minTenureMonths\n    demotionThreshold\n    demotionQuarters\n    metrics {\n      metric {\n        id\n        ...MetricFields\n      }\n      weight\n      baseline\n      floorMultiplier\n      ceilingMultiplier\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RankLadder {\n    ranks {\n      id\n      code\n      name\n      level\n      description\n      repCount\n      currentSettings {\n        id\n        ...RankSettingsFields\n      }\n      latestSettings {\n        id\n        ...RankSettingsFields\n      }\n    }\n    metrics {\n      ...MetricFields\n    }\n  }\n"): (typeof documents)["\n  query RankLadder {\n    ranks {\n      id\n      code\n      name\n      level\n      description\n      repCount\n      currentSettings {\n        id\n        ...RankSettingsFields\n      }\n      latestSettings {\n        id\n        ...RankSettingsFields\n      }\n    }\n    metrics {\n      ...MetricFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RankVersions($id: ID!) {\n    rank(id: $id) {\n      id\n      code\n      name\n      currentSettings {\n        id\n        version\n      }\n      latestSettings {\n        id\n        version\n      }\n      versions {\n        id\n        ...RankSettingsFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query RankVersions($id: ID!) {\n    rank(id: $id) {\n      id\n      code\n      name\n      currentSettings {\n        id\n        version\n      }\n      latestSettings {\n        id\n        version\n      }\n      versions {\n        id\n        ...RankSettingsFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeRepRank($input: ChangeRepRankInput!) {\n    changeRepRank(input: $input) {\n      rep {\n        id\n        version\n        rank {\n          id\n          code\n          name\n          level\n        }\n        rankHistory {\n          rank {\n            id\n            code\n            name\n          }\n          effectiveFrom\n          reason\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChangeRepRank($input: ChangeRepRankInput!) {\n    changeRepRank(input: $input) {\n      rep {\n        id\n        version\n        rank {\n          id\n          code\n          name\n          level\n        }\n        rankHistory {\n          rank {\n            id\n            code\n            name\n          }\n          effectiveFrom\n          reason\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TransferRep($input: TransferRepInput!) {\n    transferRep(input: $input) {\n      rep {\n        id\n        version\n        team {\n          id\n          name\n          code\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation TransferRep($input: TransferRepInput!) {\n    transferRep(input: $input) {\n      rep {\n        id\n        version\n        team {\n          id\n          name\n          code\n        }\n      }\n      errors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RepList($first: Int!, $after: String, $filter: RepFilter, $sort: RepSort) {\n    reps(first: $first, after: $after, filter: $filter, sort: $sort) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          externalId\n          name\n          territory\n          hireDate\n          leaveDate\n          tenureMonths\n          team {\n            id\n            name\n          }\n          rank {\n            id\n            code\n            name\n            level\n          }\n          region {\n            id\n            code\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RepList($first: Int!, $after: String, $filter: RepFilter, $sort: RepSort) {\n    reps(first: $first, after: $after, filter: $filter, sort: $sort) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          externalId\n          name\n          territory\n          hireDate\n          leaveDate\n          tenureMonths\n          team {\n            id\n            name\n          }\n          rank {\n            id\n            code\n            name\n            level\n          }\n          region {\n            id\n            code\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RepFilterOptions {\n    orgUnits {\n      ...OrgUnitFields\n    }\n    ranks {\n      id\n      code\n      name\n      level\n    }\n    regions {\n      id\n      code\n      name\n    }\n  }\n"): (typeof documents)["\n  query RepFilterOptions {\n    orgUnits {\n      ...OrgUnitFields\n    }\n    ranks {\n      id\n      code\n      name\n      level\n    }\n    regions {\n      id\n      code\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RepDetails($id: ID!) {\n    rep(id: $id) {\n      id\n      externalId\n      name\n      territory\n      hireDate\n      leaveDate\n      tenureMonths\n      version\n      team {\n        id\n        name\n        code\n      }\n      rank {\n        id\n        code\n        name\n        level\n      }\n      region {\n        id\n        code\n        name\n        marketPotential\n      }\n      rankHistory {\n        rank {\n          id\n          code\n          name\n        }\n        effectiveFrom\n        reason\n      }\n      actuals {\n        month\n        metricCode\n        value\n      }\n    }\n    metrics {\n      id\n      code\n      name\n      kind\n      unit\n      isInteger\n    }\n    ranks {\n      id\n      code\n      name\n      level\n    }\n    orgUnits {\n      ...OrgUnitFields\n    }\n  }\n"): (typeof documents)["\n  query RepDetails($id: ID!) {\n    rep(id: $id) {\n      id\n      externalId\n      name\n      territory\n      hireDate\n      leaveDate\n      tenureMonths\n      version\n      team {\n        id\n        name\n        code\n      }\n      rank {\n        id\n        code\n        name\n        level\n      }\n      region {\n        id\n        code\n        name\n        marketPotential\n      }\n      rankHistory {\n        rank {\n          id\n          code\n          name\n        }\n        effectiveFrom\n        reason\n      }\n      actuals {\n        month\n        metricCode\n        value\n      }\n    }\n    metrics {\n      id\n      code\n      name\n      kind\n      unit\n      isInteger\n    }\n    ranks {\n      id\n      code\n      name\n      level\n    }\n    orgUnits {\n      ...OrgUnitFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;