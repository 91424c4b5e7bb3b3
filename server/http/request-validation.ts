import type { Request } from 'express';
import { ApiError, type ProblemFieldError } from '../errors.js';
import { normalizeMediaType } from './media-type.js';
import type { OperationMatch, RequestOperation, SchemaError, ValidateFunction } from './request-operation.js';
import {
  collapseAlternatives,
  describeSchemaError,
  escapePointerSegment,
  summarizeReasons,
  toFieldName,
} from './schema-messages.js';

/** Proves one security scheme for a request and returns who it proved; throwing refuses it. */
export type SecurityHandler = (req: Request) => Promise<string> | string;

/** A request as validation leaves it: parameters decoded and coerced, defaults filled in, the caller proved. */
export interface ValidatedRequest {
  operation: RequestOperation;
  path: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
  user: string | undefined;
}

const reservedCharacters = /[:/?#[\]@!$&'()*+,;=]/;
const fieldLocations: Record<string, ProblemFieldError['location']> = {
  body: 'body',
  query: 'query',
  params: 'path',
  headers: 'header',
};

/** A 400 whose detail says each reason in plain words (legacy clients show only `detail`). */
const invalid = (errors: ProblemFieldError[]) =>
  new ApiError('validation-error', summarizeReasons(errors.map((error) => error.message)), { errors });
const unauthorized = () =>
  new ApiError('unauthorized', 'A valid session token is required: "Authorization: Bearer <token>".');

/** ajv's `/query/limit` (or a missing/extra property) → {location: 'query', pointer: '/limit', message}. */
function toFieldError(error: SchemaError): ProblemFieldError {
  const property = error.params.missingProperty ?? error.params.additionalProperty ?? error.params.unevaluatedProperty;
  // ajv escapes instancePath (RFC 6901) but not the property names in params.
  const path =
    property === undefined ? error.instancePath : `${error.instancePath}/${escapePointerSegment(String(property))}`;
  const [, first = 'body', ...rest] = path.split('/');
  const pointer = rest.length > 0 ? `/${rest.join('/')}` : '';
  return { location: fieldLocations[first] ?? 'body', pointer, message: describeSchemaError(error, pointer) };
}

const queryError = (name: string, message: string): ProblemFieldError => ({
  location: 'query',
  pointer: `/${escapePointerSegment(name)}`,
  message,
});

/** The user the first passing security alternative proved (undefined: the operation needs none). */
async function checkSecurity(
  req: Request,
  operation: RequestOperation,
  handlers: Record<string, SecurityHandler>,
): Promise<string | undefined> {
  if (operation.security.length === 0) return undefined;
  let refusal: unknown;
  for (const alternative of operation.security) {
    // A scheme without a handler is a wiring bug (500), not a refused request.
    const missing = alternative.find((scheme) => !handlers[scheme]);
    if (missing) throw new Error(`no security handler for ${missing}`);
    try {
      let user: string | undefined;
      for (const scheme of alternative) user = await (handlers[scheme] as SecurityHandler)(req);
      return user;
    } catch (error) {
      refusal ??= error;
    }
  }
  // A handler's own problem (e.g. 503 when a dependency is down) passes through; anything else is a 401.
  if (refusal instanceof ApiError && refusal.status !== 401) throw refusal;
  throw unauthorized();
}

/** The body's validator for the request's Content-Type, or 415 (null: no body expected). */
function selectBodyValidator(req: Request, body: RequestOperation['body']): ValidateFunction | null {
  if (!body) return null;
  const header = req.headers['content-type'];
  if (header) {
    const normalized = normalizeMediaType(header);
    const bare = normalizeMediaType(header.split(';')[0] ?? '');
    const validator = body.validators[normalized] ?? body.validators[bare];
    if (validator) return validator;
  } else if (!body.required) {
    return null;
  }
  throw new ApiError('unsupported-media-type', 'Send the body as application/json.');
}

/** The raw (undecoded) query values by raw name: reserved characters must arrive percent-encoded. */
function checkEncoding(req: Request, names: string[]): void {
  const search = req.originalUrl.split('?')[1];
  if (!search || names.length === 0) return;
  for (const pair of search.split('&')) {
    const [name = '', value] = pair.split('=');
    if (!names.includes(name) || value === undefined) continue;
    if (reservedCharacters.test(value)) {
      throw invalid([queryError(name, `${toFieldName(name)} must be URL-encoded (it has reserved characters)`)]);
    }
  }
}

function checkQueryNames(query: Record<string, unknown>, operation: RequestOperation): void {
  for (const [name, value] of Object.entries(query)) {
    if (!operation.queryParams.includes(name)) {
      throw invalid([queryError(name, `${toFieldName(name)} is not a query parameter of this operation`)]);
    }
    if (value === '' && !operation.emptyQueryParams.includes(name)) {
      throw invalid([queryError(name, `${toFieldName(name)} must not be empty`)]);
    }
  }
}

/**
 * Validates a matched request against openapi.yaml with validators compiled at build time (`npm run generate`):
 * security (401); Content-Type → 415; query parameters (unknown, empty or unencoded ones → 400); then parameters
 * and body against their schemas (400 with the field errors). Parameters are coerced to their types and get
 * their defaults in place.
 */
export async function validateRequest(
  req: Request,
  { operation, values }: OperationMatch & { operation: RequestOperation },
  securityHandlers: Record<string, SecurityHandler>,
): Promise<ValidatedRequest> {
  const params: Record<string, string> = {};
  try {
    operation.pathParams.forEach((name, index) => {
      params[name] = decodeURIComponent(values[index] ?? '');
    });
  } catch {
    throw invalid([{ location: 'path', pointer: '', message: 'the path is not a valid URI (malformed %-escape)' }]);
  }
  const user = await checkSecurity(req, operation, securityHandlers);
  const validateBody = selectBodyValidator(req, operation.body);
  // Express 5 parses req.query anew on each read: take one copy, so coerced values and defaults stay.
  const query = { ...(req.query as Record<string, unknown>) };
  checkEncoding(req, operation.encodedQueryParams);
  checkQueryNames(query, operation);
  const headers: Record<string, unknown> = { ...req.headers };
  const data = { query, headers, params, cookies: undefined, body: req.body };
  const errors = [
    ...(operation.validateParameters(data) ? [] : (operation.validateParameters.errors ?? [])),
    ...(!validateBody || validateBody(data) ? [] : (validateBody.errors ?? [])),
  ];
  if (errors.length > 0) throw invalid(collapseAlternatives(errors).map(toFieldError));
  return { operation, path: params, query, headers, body: req.body, user };
}
