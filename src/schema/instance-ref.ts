import { builder } from './builder.js';

/** An instance as the schema holds it: no upstream call has been made to create one. */
export interface InstanceShape {
  id: string;
  /** The argument path that named it (`id`, `ids[3]`), for errors about the ID itself. */
  argument: string;
}

export const InstanceRef = builder.objectRef<InstanceShape>('Instance');
