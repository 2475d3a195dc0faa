import type { EnumRef } from '@pothos/core';
import type { Logger } from '../logger.js';
import { type BuilderTypes, builder } from './builder.js';

/** A GraphQL enum over upstream strings, and the mapping that tolerates strings it does not know. */
export interface UpstreamEnum {
  ref: EnumRef<BuilderTypes, string, string>;
  map(value: string | null, logger: Logger): string | null;
}

/**
 * Maps upstream values (`FullBackup`) to UPPER_SNAKE enum values (`FULL_BACKUP`). A value no enum
 * knows yields null and a warning: upstream may add values before this schema learns them, and
 * one new word must not fail a whole page.
 */
export function upstreamEnum(name: string, values: Record<string, string>): UpstreamEnum {
  const ref = builder.enumType(name, {
    values: Object.fromEntries(
      Object.entries(values).map(([upstream, value]) => [
        value,
        { value, description: `Upstream \`${upstream}\`.` },
      ]),
    ),
  }) as unknown as EnumRef<BuilderTypes, string, string>;

  return {
    ref,
    map(value, logger) {
      if (value === null) {
        return null;
      }
      const mapped = values[value];
      if (mapped === undefined) {
        logger.warn({ enum: name, value }, 'upstream value not in the enum; returned as null');

        return null;
      }

      return mapped;
    },
  };
}
