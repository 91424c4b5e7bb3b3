import { describe, expectTypeOf, it } from 'vitest';
import { createNbhdClient, type Member, type Nbhd, type NbhdApiError, type NbhdDetail } from '../src/index.js';

const nbhd = createNbhdClient({ baseUrl: 'https://api.example.test', token: 't' });
const id = '7f3c1f9e-4c59-4b2a-9a53-2d1f0c7b8e11';

describe('method types', () => {
  it('resolves each method to the contract response type', () => {
    expectTypeOf(nbhd.getNeighborhood(id)).resolves.toEqualTypeOf<NbhdDetail>();
    expectTypeOf(nbhd.createNeighborhood({ name: 'x' })).resolves.toEqualTypeOf<Nbhd>();
    expectTypeOf(nbhd.listNeighborhoods()).resolves.toEqualTypeOf<Nbhd[]>();
    expectTypeOf<Awaited<ReturnType<typeof nbhd.listMembers>>['members']>().toEqualTypeOf<Member[]>();
    expectTypeOf<Awaited<ReturnType<typeof nbhd.listMyNeighborhoods>>['next_cursor']>().toEqualTypeOf<string | null>();
    expectTypeOf(nbhd.deleteNeighborhood(id)).resolves.toBeVoid();
    expectTypeOf(nbhd.iterateNeighborhoods()).toEqualTypeOf<AsyncGenerator<Nbhd, void, undefined>>();
    expectTypeOf(nbhd.iterateMembers(id)).toEqualTypeOf<AsyncGenerator<Member, void, undefined>>();
    expectTypeOf<NbhdApiError['errors'][number]['location']>().toEqualTypeOf<'body' | 'query' | 'path' | 'header'>();
  });

  it('rejects wrong bodies', () => {
    // @ts-expect-error name is required
    nbhd.createNeighborhood({ description: 'no name' });
    // @ts-expect-error name must be a string
    nbhd.createNeighborhood({ name: 42 });
    // @ts-expect-error unknown fields are not part of NbhdCreate (additionalProperties: false)
    nbhd.createNeighborhood({ name: 'x', color: 'red' });
    // @ts-expect-error description of an update is string | null, not a number
    nbhd.updateNeighborhood(id, { description: 3 });
    // @ts-expect-error test-login needs a password
    nbhd.testLogin({ username: 'u' });
  });

  it('rejects wrong path and query parameters', () => {
    // @ts-expect-error the neighborhood id is a string
    nbhd.getNeighborhood(123);
    // @ts-expect-error limit is an integer, not a string
    nbhd.listNeighborhoods({ limit: '10' });
    // @ts-expect-error listMembers has no skip parameter
    nbhd.listMembers(id, { skip: 1 });
    // @ts-expect-error iterateNeighborhoods does not take the deprecated skip
    nbhd.iterateNeighborhoods({ skip: 10 });
    // @ts-expect-error getHealth's deep is a boolean
    nbhd.getHealth({ deep: 'yes' });
  });

  it('rejects token and getToken together', () => {
    // @ts-expect-error pass either a fixed token or a provider
    createNbhdClient({ baseUrl: 'x', token: 't', getToken: () => 't' });
  });
});

describe('raw client types', () => {
  it('types data and error of raw calls', async () => {
    const { data, error } = await nbhd.raw.GET('/api/nbhds/{nbhd_id}', { params: { path: { nbhd_id: id } } });
    if (data) {
      expectTypeOf(data).toExtend<NbhdDetail>();
      expectTypeOf<NbhdDetail>().toExtend<typeof data>();
    }
    if (error) expectTypeOf(error.status).toEqualTypeOf<number>();
  });

  it('rejects wrong paths, path params, bodies and query params', () => {
    // @ts-expect-error no such path
    nbhd.raw.GET('/api/neighbourhoods');
    // @ts-expect-error the path parameter is nbhd_id
    nbhd.raw.GET('/api/nbhds/{nbhd_id}', { params: { path: { id } } });
    // @ts-expect-error the path parameter is required
    nbhd.raw.GET('/api/nbhds/{nbhd_id}', {});
    // @ts-expect-error POST /api/nbhds needs a body with a name
    nbhd.raw.POST('/api/nbhds', { body: { description: 'x' } });
    // @ts-expect-error limit is an integer
    nbhd.raw.GET('/api/nbhds', { params: { query: { limit: 'all' } } });
    // @ts-expect-error PUT is not an operation of this path
    nbhd.raw.PUT('/api/nbhds/{nbhd_id}', { params: { path: { nbhd_id: id } } });
  });
});
