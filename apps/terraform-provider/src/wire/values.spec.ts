import { encode, ExtData } from '@msgpack/msgpack';
import { type Block } from './types';
import { decodeObject, encodeObject, UNKNOWN, WireError } from './values';

const BLOCK: Block = {
  name: { type: 'string', description: '', required: true },
  count: { type: 'number', description: '', optional: true },
  tags: { type: { list: 'string' }, description: '', optional: true },
  env: { type: { map: 'string' }, description: '', optional: true },
  source: {
    type: {
      object: {
        path: { type: 'string', description: '', required: true },
        context: { type: 'string', description: '', optional: true },
      },
    },
    description: '',
    optional: true,
  },
  volumes: {
    type: {
      objects: {
        name: { type: 'string', description: '', required: true },
        size: { type: 'string', description: '', required: true },
      },
    },
    description: '',
    optional: true,
  },
};

const raw = (value: unknown) => ({ msgpack: encode(value) });

describe('Terraform values on the wire', () => {
  it('round-trips every attribute, unknown ones included, and fills the ones left out with null', () => {
    const value = {
      name: 'api',
      count: 2,
      tags: ['a'],
      env: { A: UNKNOWN },
      source: null,
      volumes: [{ name: 'data', size: UNKNOWN }],
    };
    expect(decodeObject(BLOCK, encodeObject(BLOCK, value))).toEqual(value);
    expect(decodeObject(BLOCK, encodeObject(BLOCK, { name: 'api' }))).toEqual({
      name: 'api',
      count: null,
      tags: null,
      env: null,
      source: null,
      volumes: null,
    });
  });

  it('reads refined unknowns (extension 12), big numbers sent as strings and JSON values', () => {
    const refined = new ExtData(12, encode({ 1: false, 2: 'api-' }));
    expect(decodeObject(BLOCK, raw({ name: refined, count: '12', source: { path: '.' } }))).toEqual(
      {
        name: UNKNOWN,
        count: 12,
        tags: null,
        env: null,
        source: { path: '.', context: null },
        volumes: null,
      },
    );
    const json = { json: Buffer.from(JSON.stringify({ name: 'web', count: 1 })) };
    expect(decodeObject(BLOCK, json)).toMatchObject({ name: 'web', count: 1 });
  });

  it('answers null for a null or empty value, and refuses values of the wrong type', () => {
    expect(decodeObject(BLOCK, raw(null))).toBeNull();
    expect(decodeObject(BLOCK, {})).toBeNull();
    expect(() => decodeObject(BLOCK, raw({ name: 3 }))).toThrow(
      new WireError('name: expected a string'),
    );
    expect(() => decodeObject(BLOCK, raw({ name: 'a', tags: 'x' }))).toThrow(
      new WireError('tags: expected a list'),
    );
  });
});
