/**
 * Terraform values on the wire (DynamicValue): MessagePack shaped by the schema, with
 * unknown values as MessagePack extensions (code 0; code 12 carries refinements, which
 * this provider does not need and reads as plainly unknown).
 */
import { decode, encode, ExtData } from '@msgpack/msgpack';
import { UNKNOWN } from '@slipway/iac';
import { type AttributeType, type Block } from './types';

export { UNKNOWN };
export type WireValue =
  | null
  | string
  | number
  | boolean
  // Only UNKNOWN (object literals widen its unique symbol type to symbol).
  | symbol
  | readonly WireValue[]
  | { readonly [key: string]: WireValue };
export type ObjectValue = Record<string, WireValue>;

export interface DynamicValue {
  msgpack?: Uint8Array;
  json?: Uint8Array;
}

export class WireError extends Error {
  override readonly name = 'WireError';
}

function fromType(type: AttributeType, raw: unknown, path: string): WireValue {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof ExtData) return UNKNOWN;
  if (typeof type === 'string') {
    if (type === 'number') {
      const number = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof number === 'number' && Number.isFinite(number)) return number;
      if (typeof number === 'bigint') return Number(number);
    } else if (type === 'bool' && typeof raw === 'boolean') return raw;
    else if (type === 'string' && typeof raw === 'string') return raw;
    throw new WireError(`${path}: expected a ${type}`);
  }
  if ('list' in type || 'objects' in type) {
    if (!Array.isArray(raw)) throw new WireError(`${path}: expected a list`);
    return raw.map((item, i) =>
      'list' in type
        ? fromType(type.list, item, `${path}[${i}]`)
        : fromType({ object: type.objects }, item, `${path}[${i}]`),
    );
  }
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new WireError(`${path}: expected an object`);
  const entries = Object.entries(raw as Record<string, unknown>);
  if ('map' in type)
    return Object.fromEntries(
      entries.map(([key, item]) => [key, fromType(type.map, item, `${path}.${key}`)]),
    );
  return fromBlock(type.object, Object.fromEntries(entries), path);
}

function fromBlock(block: Block, raw: Record<string, unknown>, path: string): ObjectValue {
  const value: ObjectValue = {};
  for (const [name, attribute] of Object.entries(block))
    value[name] = fromType(attribute.type, raw[name], path ? `${path}.${name}` : name);
  return value;
}

/** A decoded object of `block`'s shape, or null; every attribute present (null when unset). */
export function decodeObject(
  block: Block,
  value: DynamicValue | undefined | null,
): ObjectValue | null {
  let raw: unknown;
  if (value?.msgpack?.length) raw = decode(value.msgpack);
  else if (value?.json?.length) raw = JSON.parse(Buffer.from(value.json).toString('utf8'));
  else return null;
  if (raw === null || raw instanceof ExtData) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new WireError('expected an object');
  return fromBlock(block, raw as Record<string, unknown>, '');
}

/** Decodes state JSON written by an earlier version of this provider (UpgradeResourceState). */
export function decodeJsonObject(block: Block, json: Uint8Array): ObjectValue {
  const raw: unknown = JSON.parse(Buffer.from(json).toString('utf8'));
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new WireError('the stored state is not an object');
  return fromBlock(block, raw as Record<string, unknown>, '');
}

function toType(type: AttributeType, value: WireValue | undefined): unknown {
  if (value === undefined || value === null) return null;
  if (value === UNKNOWN) return new ExtData(0, new Uint8Array(0));
  if (typeof type === 'string') return value;
  if ('list' in type) return (value as readonly WireValue[]).map((item) => toType(type.list, item));
  if ('objects' in type)
    return (value as readonly ObjectValue[]).map((item) => toBlock(type.objects, item));
  const entries = Object.entries(value as ObjectValue);
  if ('map' in type) return Object.fromEntries(entries.map(([k, v]) => [k, toType(type.map, v)]));
  return toBlock(type.object, value as ObjectValue);
}

function toBlock(block: Block, value: ObjectValue): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(block).map(([name, attribute]) => [name, toType(attribute.type, value[name])]),
  );
}

/** Encodes an object of `block`'s shape (or null) as a DynamicValue. */
export function encodeObject(block: Block, value: ObjectValue | null): DynamicValue {
  return { msgpack: encode(value === null ? null : toBlock(block, value)) };
}

/** A string attribute's value, or '' when it is null or unknown. */
export const textOf = (value: WireValue | undefined): string =>
  typeof value === 'string' ? value : '';

export function containsUnknown(value: WireValue | undefined): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === 'object')
    return Object.values(value).some(containsUnknown);
  return false;
}
