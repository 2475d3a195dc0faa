import { InvalidArgumentError, type TairError } from '../tair/errors.js';
import { builder } from './builder.js';

/** An instance as the schema holds it: no upstream call has been made to create one. */
export interface InstanceShape {
  id: string;
  /** The argument path that named it (`id`, `ids[3]`), for errors about the ID itself. */
  argument: string;
}

export const InstanceRef = builder.objectRef<InstanceShape>('Instance');

/**
 * The client names a bad instance ID `instanceId`; the caller of this schema passed it as `id` or
 * `ids[n]`, so the error is renamed to the argument the caller knows.
 */
export function forInstance(error: TairError, instance: InstanceShape): TairError {
  if (error instanceof InvalidArgumentError && error.argument === 'instanceId') {
    return new InvalidArgumentError(
      instance.argument,
      error.message.replaceAll('instanceId', instance.argument),
      error,
    );
  }

  return error;
}
