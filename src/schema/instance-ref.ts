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
 * The client names a bad instance ID `instanceId`; the caller of this schema passed it as
 * `argument` (`id`, `ids[n]`, `representations[n]`), so the error is renamed to the argument the
 * caller knows. Any other error is returned as it is.
 */
export function namedAfter<E>(error: E, argument: string): E | InvalidArgumentError {
  if (error instanceof InvalidArgumentError && error.argument === 'instanceId') {
    return new InvalidArgumentError(
      argument,
      error.message.replaceAll('instanceId', argument),
      error,
    );
  }

  return error;
}

/** {@link namedAfter} the argument that named `instance`. */
export function forInstance(error: TairError, instance: InstanceShape): TairError {
  return namedAfter(error, instance.argument);
}
