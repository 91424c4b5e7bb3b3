import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../server/data/neighborhood/keys.js';
import { createDocumentClient, createDynamoDbClient } from '../../server/data/table/client.js';
import { createCommandTemplate } from '../../server/data/table/command-template.js';
import { createEntities } from '../../server/data/table/entities.js';

// Building command inputs sends nothing: the client points nowhere.
const client = createDynamoDbClient({ region: 'local', endpoint: 'http://127.0.0.1:9' });
const entities = createEntities({ documentClient: createDocumentClient(client), tableName: 'nbhd-city-test' });

describe('createCommandTemplate', () => {
  const claim = (name: string) => entities.nameClaims.build(PutTransaction).item({ name, nbhd_id: 'n1' }).params();

  it('refuses a template whose values the toolbox transforms in a way it was not told of', () => {
    const template = createCommandTemplate({ name: 'claim', shape: { name: 'string' }, build: (v) => claim(v.name) });
    expect(() => template({ name: 'Oak' })).toThrow('claim: the template does not reproduce what the toolbox builds');
  });

  it('leaves out an optional attribute whose value is undefined, as the toolbox does', () => {
    const template = createCommandTemplate({
      name: 'optional',
      shape: { id: 'string', description: 'string?' },
      build: (v) => ({ Item: { id: v.id, ...(v.description !== undefined ? { description: v.description } : {}) } }),
    });
    expect(template({ id: 'a', description: undefined })).toStrictEqual({ Item: { id: 'a' } });
    expect(template({ id: 'a', description: 'b' })).toStrictEqual({ Item: { id: 'a', description: 'b' } });
  });

  it('checks the types of the values on every call, as the toolbox parser does', () => {
    const template = createCommandTemplate({
      name: 'typed',
      shape: { id: 'string', count: 'number' },
      build: (v) => ({ id: v.id, count: v.count }),
    });
    expect(template({ id: 'a', count: 2 })).toStrictEqual({ id: 'a', count: 2 });
    expect(() => template({ id: 1 as unknown as string, count: 2 })).toThrow('typed: id must be a string');
    expect(() => template({ id: 'a', count: '2' as unknown as number })).toThrow('typed: count must be a number');
  });

  it('keeps constant strings whole when only numbers vary', () => {
    const template = createCommandTemplate({
      name: 'numbers',
      shape: { count: 'number' },
      build: (v) => ({ count: v.count, text: 'SET #a = :a' }),
    });
    expect(template({ count: 5 })).toStrictEqual({ count: 5, text: 'SET #a = :a' });
  });

  it('fills a derived string wherever the toolbox put it', () => {
    const template = createCommandTemplate({
      name: 'normalized claim',
      shape: { name: 'string' },
      derive: { normalized: (v) => normalizeName(v.name) },
      build: (v) => ({ name: v.name, normalized: normalizeName(v.name), text: `#${normalizeName(v.name)}#${v.name}` }),
    });
    expect(template({ name: 'ＰＡＲＫ' })).toStrictEqual({
      name: 'ＰＡＲＫ',
      normalized: 'park',
      text: '#park#ＰＡＲＫ',
    });
  });
});
