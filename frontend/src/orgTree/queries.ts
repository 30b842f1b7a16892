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
    version
  }
`);

export const orgUnitsQuery = graphql(`
  query OrgUnits {
    orgUnits {
      ...OrgUnitFields
    }
  }
`);

export const createOrgUnitMutation = graphql(`
  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {
    createOrgUnit(input: $input) {
      orgUnit {
        ...OrgUnitFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const updateOrgUnitMutation = graphql(`
  mutation UpdateOrgUnit($input: UpdateOrgUnitInput!) {
    updateOrgUnit(input: $input) {
      orgUnit {
        ...OrgUnitFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
