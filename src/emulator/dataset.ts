import { readFile } from 'node:fs/promises';
import JSONbig from 'json-bigint';
import type { EmulatorDataset, EmulatorFault, EmulatorInstance } from './types.js';

/** A dataset file that cannot be read or does not have the documented shape. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

// Integers longer than 15 digits become BigInt, so IDs beyond 2^53 stay exact.
const parser = JSONbig({ useNativeBigInt: true, protoAction: 'error', constructorAction: 'error' });

const INTEGER_FIELDS = ['FullStorageSize', 'LogStorageSize', 'FreeSize'] as const;
/** setTimeout's longest delay; a longer one fires at once, with a warning. */
const MAX_LATENCY_MS = 2 ** 31 - 1;
/** Each fault number and its range: an HTTP status node can send, a delay setTimeout keeps. */
const FAULT_NUMBERS = {
  HttpStatus: [200, 599],
  Times: [0, Number.MAX_SAFE_INTEGER],
  LatencyMs: [0, MAX_LATENCY_MS],
} as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return typeof value === 'bigint' ? `${value}` : (JSON.stringify(value) ?? String(value));
}

function fail(source: string, field: string, rule: string, value: unknown): never {
  throw new DatasetError(`${source}: ${field} must be ${rule}, received ${describe(value)}`);
}

function isInteger(value: unknown): boolean {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

function checkFault(source: string, at: string, fault: unknown): EmulatorFault {
  if (!isObject(fault)) {
    fail(source, at, 'an object', fault);
  }
  for (const [key, [min, max]] of Object.entries(FAULT_NUMBERS)) {
    const value = fault[key];
    if (
      value !== undefined &&
      (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    ) {
      const rule = key === 'Times' ? 'a non-negative integer' : `an integer from ${min} to ${max}`;
      fail(source, `${at}.${key}`, rule, value);
    }
  }
  for (const key of ['Code', 'Message', 'Body'] as const) {
    if (fault[key] !== undefined && typeof fault[key] !== 'string') {
      fail(source, `${at}.${key}`, 'a string', fault[key]);
    }
  }
  if (fault.Reset !== undefined && typeof fault.Reset !== 'boolean') {
    fail(source, `${at}.Reset`, 'a boolean', fault.Reset);
  }
  if (fault.AccessDeniedDetail !== undefined && !isObject(fault.AccessDeniedDetail)) {
    fail(source, `${at}.AccessDeniedDetail`, 'an object', fault.AccessDeniedDetail);
  }

  return fault as EmulatorFault;
}

function checkInstance(source: string, at: string, instance: unknown): EmulatorInstance {
  if (!isObject(instance)) {
    fail(source, at, 'an object', instance);
  }
  for (const key of INTEGER_FIELDS) {
    if (instance[key] !== undefined && !isInteger(instance[key])) {
      fail(source, `${at}.${key}`, 'an integer', instance[key]);
    }
  }
  const backups = instance.Backups ?? [];
  if (!Array.isArray(backups)) {
    fail(source, `${at}.Backups`, 'an array of backup items', backups);
  }
  backups.forEach((item, index) => {
    if (!isObject(item)) {
      fail(source, `${at}.Backups[${index}]`, 'an object', item);
    }
  });
  if (instance.Fault !== undefined) {
    checkFault(source, `${at}.Fault`, instance.Fault);
  }
  const override = instance.Override;
  if (override !== undefined) {
    if (!isObject(override)) {
      fail(source, `${at}.Override`, 'an object', override);
    }
    if (override.TotalCount !== undefined && !Number.isSafeInteger(override.TotalCount)) {
      fail(source, `${at}.Override.TotalCount`, 'an integer', override.TotalCount);
    }
  }

  return { ...instance, Backups: backups } as EmulatorInstance;
}

/**
 * Parses and checks a dataset in the `EMULATOR_DATA` form. Items are kept as given; numbers
 * beyond 2^53 become `bigint`. `source` names the file in error messages.
 */
export function parseDataset(text: string, source: string): EmulatorDataset {
  let root: unknown;
  try {
    root = parser.parse(text);
  } catch (error) {
    throw new DatasetError(`${source}: not valid JSON (${(error as Error).message})`);
  }

  if (!isObject(root)) {
    fail(source, 'the top level', 'an object', root);
  }
  if (!isObject(root.instances)) {
    fail(source, 'instances', 'an object keyed by InstanceId', root.instances);
  }
  const latency = root.LatencyMs;
  if (
    latency !== undefined &&
    (typeof latency !== 'number' || !(latency >= 0 && latency <= MAX_LATENCY_MS))
  ) {
    fail(source, 'LatencyMs', `a number from 0 to ${MAX_LATENCY_MS}`, latency);
  }
  const instances: Record<string, EmulatorInstance> = {};
  for (const [id, instance] of Object.entries(root.instances)) {
    instances[id] = checkInstance(source, `instances.${id}`, instance);
  }

  return { instances, ...(latency === undefined ? {} : { LatencyMs: latency }) };
}

/** Reads a dataset file; fails with a {@link DatasetError} that names the path and the field. */
export async function loadDatasetFile(path: string): Promise<EmulatorDataset> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DatasetError(`${path}: cannot read the dataset file (${(error as Error).message})`);
  }

  return parseDataset(text, path);
}
