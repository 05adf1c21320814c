import { GraphQLError, ValidationContext, ASTVisitor } from 'graphql';

/**
 * The API has no subscriptions: a subscription operation is refused in validation (HTTP 400,
 * GRAPHQL_VALIDATION_FAILED) instead of failing in execution as an internal error.
 */
export function NoSubscriptions(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation === 'subscription') {
        context.reportError(new GraphQLError('This API has no subscriptions; use a query, or a webhook for events', { nodes: [node] }));
      }
    },
  };
}
