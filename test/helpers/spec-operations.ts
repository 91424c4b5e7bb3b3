import { resolveSpecRef } from '../../tooling/spec-refs.js';

type Json = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required?: boolean;
  schema: Json;
}

/** One operation of openapi.yaml, as the request generator needs it. */
export interface OperationModel {
  operationId: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body?: { required: boolean; schema: unknown };
  bearer: boolean;
}

const methods = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of the contract with its resolved parameters, body schema and security. */
export function readOperations(spec: Json): OperationModel[] {
  const resolve = (node: unknown) => resolveSpecRef(spec, node).node as Json;
  const operations: OperationModel[] = [];
  for (const [path, rawItem] of Object.entries(spec.paths as Record<string, Json>)) {
    const item = resolve(rawItem);
    for (const method of methods) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const parameters = [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])]
        .map((p) => resolve(p) as unknown as Parameter)
        .filter((p) => p.in !== 'cookie');
      const requestBody = operation.requestBody ? resolve(operation.requestBody) : undefined;
      const security = (operation.security ?? spec.security ?? []) as Json[];
      operations.push({
        operationId: operation.operationId as string,
        method: method.toUpperCase(),
        path,
        parameters,
        ...(requestBody
          ? {
              body: {
                required: requestBody.required === true,
                schema: (requestBody.content as Record<string, Json>)['application/json']?.schema,
              },
            }
          : {}),
        bearer: security.some((alternative) => 'bearerAuth' in alternative),
      });
    }
  }
  return operations;
}
