import { graphql } from '../gql';

export const orgUnitFieldsFragment = graphql(`
  fragment OrgUnitFields on OrgUnit {
    id
    name
    code
    kind
    parentId
    depth
    regionCode
    repCount
  }
`);

export const orgUnitsQuery = graphql(`
  query OrgUnits {
    orgUnits {
      ...OrgUnitFields
    }
  }
`);
