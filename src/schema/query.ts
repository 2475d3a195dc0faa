import { InvalidArgumentError } from '../tair/errors.js';
import { builder } from './builder.js';
import { instancesComplexity } from './complexity.js';
import { toGraphQLError } from './errors.js';
import { InstanceRef } from './instance-ref.js';

/** The most ids `instances` takes: one query must not fan out to unbounded upstream calls. */
export const MAX_INSTANCE_IDS = 100;

builder.queryType({
  fields: (t) => ({
    instance: t.field({
      type: InstanceRef,
      description:
        'An instance by its Alibaba Cloud instance ID. Makes no upstream call by itself.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, { id }) => ({ id: String(id), argument: 'id' }),
    }),
    instances: t.field({
      type: [InstanceRef],
      description: `Several instances at once, in the order given (at most ${MAX_INSTANCE_IDS}); their fields' calls run in parallel.`,
      args: { ids: t.arg.idList({ required: true }) },
      complexity: instancesComplexity,
      resolve: (_root, { ids }) => {
        if (ids.length > MAX_INSTANCE_IDS) {
          throw toGraphQLError(
            new InvalidArgumentError(
              'ids',
              `\`ids\` takes at most ${MAX_INSTANCE_IDS} instance IDs; got ${ids.length}`,
            ),
          );
        }

        return ids.map((id, index) => ({ id: String(id), argument: `ids[${index}]` }));
      },
    }),
  }),
});
