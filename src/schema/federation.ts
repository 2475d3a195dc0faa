import { printSubgraphSchema } from '@apollo/subgraph';
import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { backupReferenceLoader } from '../federation/backup-references.js';
import { guardEntities } from '../federation/entities-guard.js';
import { parseNodeId } from '../paging/global-id.js';
import { TairError } from '../tair/errors.js';
import type { Backup } from '../tair/types.js';
import { BackupRef } from './backup.js';
import { builder } from './builder.js';
import { toGraphQLError } from './errors.js';
import { InstanceRef } from './instance-ref.js';

/** The Federation spec this subgraph links; pinned so that a plugin upgrade cannot move it. */
export const FEDERATION_LINK_URL = 'https://specs.apollo.dev/federation/v2.6';

/** The federation directives the subgraph SDL imports: `@key` on entities, `@shareable` PageInfo. */
const FEDERATION_DIRECTIVES = ['@key', '@shareable'];

builder.asEntity(InstanceRef, {
  key: builder.selection<{ id: string }>('id'),
  // Like `instance(id:)`: an instance needs no upstream call to exist as a reference.
  resolveReference: ({ id }) =>
    parseNodeId(id).kind === 'Instance' ? { id, argument: 'id' } : null,
});

builder.asEntity(BackupRef, {
  key: builder.selection<{ id: string }>('id'),
  // A failure resolves to the error instead of rejecting: graphql-js fails just this
  // representation with it, and no promise is left to reject unhandled when @apollo/subgraph
  // abandons the others (it throws on an unknown __typename while mapping the list).
  resolveReference: ({ id }, context) =>
    backupReferenceLoader(context.loaders)
      .load(id)
      .catch((error: unknown) =>
        // The same typed failure `node(id:)` reports for a Backup whose call failed.
        error instanceof TairError ? toGraphQLError(error) : (error as Error),
      ) as Promise<Backup | null>,
});

/**
 * The schema served to a Federation 2 router: the client schema with `@link`, `@key` on Instance
 * and Backup, `_entities` and `_service`, and without `Query.node`. Each subgraph's `node` can only
 * answer for the ids it knows (this one takes any id that is not a Backup id for an instance ID),
 * so two of them could never be `@shareable`, and a non-shareable `node` in two subgraphs does not
 * compose. Lookups by id reach this subgraph through `_entities` instead (docs/federation.md).
 */
export function createSubgraphSchema(): GraphQLSchema {
  const built = builder.toSubGraphSchema({
    linkUrl: FEDERATION_LINK_URL,
    federationDirectives: FEDERATION_DIRECTIVES,
  });
  const query = built.getQueryType()!.toConfig();
  const { node: _node, _service, _entities, ...fields } = query.fields;
  let sdl = '';
  const withoutNode = new GraphQLObjectType({
    ...query,
    // The directives plugin mirrors the schema in AST nodes, which printSubgraphSchema reads.
    astNode: query.astNode && {
      ...query.astNode,
      fields: query.astNode.fields?.filter((field) => field.name.value !== 'node'),
    },
    fields: {
      ...fields,
      _entities: guardEntities(_entities!),
      _service: { ..._service!, resolve: () => ({ sdl }) },
    },
  });
  const config = built.toConfig();
  const schema = new GraphQLSchema({
    ...config,
    query: withoutNode,
    types: [...config.types.filter((type) => type.name !== query.name), withoutNode],
  });
  sdl = printSubgraphSchema(schema);

  return schema;
}
