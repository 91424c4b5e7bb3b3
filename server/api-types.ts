/**
 * The contract's types, generated from openapi.yaml (`npm run generate`). Handlers take their request and
 * response types from here, never from hand-written copies.
 */
export type { components, operations, paths } from '../sdk/src/generated/openapi.js';

import type { components, operations } from '../sdk/src/generated/openapi.js';

export type Schemas = components['schemas'];
export type Nbhd = Schemas['Nbhd'];
export type NbhdDetail = Schemas['NbhdDetail'];
export type Member = Schemas['Member'];

/** The JSON body of an operation's response for one status code. */
export type ResponseBody<
  OP extends keyof operations,
  STATUS extends keyof operations[OP]['responses'],
> = operations[OP]['responses'][STATUS] extends { content: { 'application/json': infer BODY } } ? BODY : never;

/** The JSON request body of an operation. */
export type RequestBody<OP extends keyof operations> = operations[OP] extends {
  requestBody: { content: { 'application/json': infer BODY } };
}
  ? BODY
  : operations[OP] extends { requestBody?: { content: { 'application/json': infer BODY } } }
    ? BODY
    : never;
