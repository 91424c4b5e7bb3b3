/**
 * The contract's types, generated from openapi.yaml (`npm run generate`). Handlers take their request and
 * response types from here, never from hand-written copies.
 */
export type { components, operations, paths } from '../contract/generated/openapi.js';

import type { components } from '../contract/generated/openapi.js';

export type Schemas = components['schemas'];
export type Nbhd = Schemas['Nbhd'];
export type NbhdDetail = Schemas['NbhdDetail'];
export type Member = Schemas['Member'];
