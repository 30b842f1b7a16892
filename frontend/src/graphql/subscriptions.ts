import { graphql } from '../gql';

export const changesSubscription = graphql(`
  subscription Changes($entity: String) {
    changes(entity: $entity) {
      entity
      entityId
      action
      actor
    }
  }
`);
