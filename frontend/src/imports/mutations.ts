import { graphql } from '../gql';

export const uploadImportMutation = graphql(`
  mutation UploadImport($input: UploadImportInput!) {
    uploadImport(input: $input) {
      run {
        ...ImportRunFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const setImportMappingMutation = graphql(`
  mutation SetImportMapping($input: SetImportMappingInput!) {
    setImportMapping(input: $input) {
      file {
        id
        kind
        mapping {
          field
          column
        }
        constants {
          field
          value
        }
        dateFormats {
          field
          value
        }
        questions
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const dryRunImportMutation = graphql(`
  mutation DryRunImport($input: RunImportInput!) {
    dryRunImport(input: $input) {
      run {
        ...ImportRunFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const commitImportMutation = graphql(`
  mutation CommitImport($input: RunImportInput!) {
    commitImport(input: $input) {
      run {
        ...ImportRunFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
