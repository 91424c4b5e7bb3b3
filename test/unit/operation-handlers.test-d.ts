import { describe, expectTypeOf, it } from 'vitest';
import type { OperationHandler, OperationHandlers, OperationInput } from '../../server/http/operation-types.js';

describe('operation handlers are typed from the contract', () => {
  it('gives query parameters with a default as always present, and the user as a string on bearer operations', () => {
    expectTypeOf<OperationInput<'listNeighborhoods'>['query']['limit']>().toEqualTypeOf<number>();
    expectTypeOf<OperationInput<'listNeighborhoods'>['query']['cursor']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<OperationInput<'joinNeighborhood'>['user']>().toEqualTypeOf<string>();
    expectTypeOf<OperationInput<'joinNeighborhood'>['path']['nbhd_id']>().toEqualTypeOf<string>();
    expectTypeOf<OperationInput<'createNeighborhood'>['headers']['idempotency-key']>().toEqualTypeOf<
      string | undefined
    >();
  });

  it('refuses a status or a body the contract does not give the operation', () => {
    const wrongStatus: OperationHandler<'joinNeighborhood'> = () => ({
      // @ts-expect-error: joinNeighborhood answers 201, not 200
      status: 200,
      body: { message: 'Joined', nbhd_id: 'x' },
    });
    // @ts-expect-error: the welcome body has a message, not a greeting
    const wrongBody: OperationHandler<'getWelcome'> = () => ({ status: 200, body: { greeting: 'hi' } });
    // @ts-expect-error: 204 has no body in the contract
    const bodyOn204: OperationHandler<'leaveNeighborhood'> = () => ({ status: 204, body: 'left' });
    expectTypeOf([wrongStatus, wrongBody, bodyOn204]).toBeArray();
  });

  it('needs a handler for every operationId', () => {
    expectTypeOf<keyof OperationHandlers>().toEqualTypeOf<
      | 'getWelcome'
      | 'getHealth'
      | 'getOpenApiDocument'
      | 'getApiDocs'
      | 'listNeighborhoods'
      | 'createNeighborhood'
      | 'getNeighborhood'
      | 'updateNeighborhood'
      | 'deleteNeighborhood'
      | 'listMembers'
      | 'joinNeighborhood'
      | 'leaveNeighborhood'
      | 'listMyNeighborhoods'
      | 'getCurrentUser'
      | 'logout'
      | 'testLogin'
      | 'startLogin'
      | 'completeLogin'
      | 'getProfile'
      | 'getOAuthClientMetadata'
      | 'getOAuthJwks'
    >();
  });
});
