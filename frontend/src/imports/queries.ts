import { graphql } from '../gql';

export const importRunFieldsFragment = graphql(`
  fragment ImportRunFields on ImportRun {
    id
    source
    actor
    status
    createdAt
    finishedAt
    message
    counts
    entities {
      entity
      created
      updated
      unchanged
    }
    proposals {
      id
      file
      field
      kind
      value
      replacement
      score
      rows
      reason
      accepted
    }
    issueCount
    files {
      id
      fileName
      sizeBytes
      kind
      columns
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
      suggestions {
        field
        column
        score
      }
    }
  }
`);

export const importKindsQuery = graphql(`
  query ImportKinds {
    importKinds {
      kind
      description
      fields {
        name
        type
        required
        description
      }
    }
  }
`);

export const importRunsQuery = graphql(`
  query ImportRuns($offset: Int!, $limit: Int!) {
    importRuns(offset: $offset, limit: $limit) {
      id
      source
      actor
      status
      createdAt
      finishedAt
      message
      counts
      issueCount
      entities {
        entity
        created
        updated
        unchanged
      }
      files {
        id
        fileName
      }
    }
  }
`);

export const importIssuesQuery = graphql(`
  query ImportIssues($id: ID!, $offset: Int!, $limit: Int!, $severity: String) {
    importRun(id: $id) {
      id
      issueCount(severity: $severity)
      issues(severity: $severity, offset: $offset, limit: $limit) {
        file
        row
        field
        severity
        problem
        value
        suggestion
        fixId
      }
    }
  }
`);

export const fileSuggestionsQuery = graphql(`
  query FileSuggestions($id: ID!, $kind: ImportKind) {
    importRun(id: $id) {
      id
      files {
        id
        suggestions(kind: $kind) {
          field
          column
          score
        }
      }
    }
  }
`);

export const exportFileQuery = graphql(`
  query ExportFile($what: ExportKind!, $format: ExportFormat!, $runId: ID) {
    exportFile(what: $what, format: $format, runId: $runId) {
      fileName
      contentType
      base64
    }
  }
`);

export const importProgressSubscription = graphql(`
  subscription ImportProgress($runId: ID!) {
    importProgress(runId: $runId) {
      runId
      phase
      done
      total
      fraction
    }
  }
`);
