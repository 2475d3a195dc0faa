import { DateTimeResolver, SafeIntResolver, URLResolver } from 'graphql-scalars';
import { builder } from './builder.js';

builder.addScalarType('DateTime', DateTimeResolver, {
  description:
    'An RFC 3339 date-time with an offset (`2024-05-01T10:06:30Z`, `2024-05-01T18:06:30+08:00`); ' +
    'input without an offset is refused. Output is always UTC.',
});
builder.addScalarType('SafeInt', SafeIntResolver);
builder.addScalarType('URL', URLResolver);
