// Stands in for the yaml package in the Lambda bundle, where its one use is stringifying the OpenAPI document
// for GET /openapi.yaml. The build inlines openapi.yaml's own text (comments and order kept, gzipped), so that is
// served instead: the same document, without 110 KiB of YAML library.

import { openApiYamlGzipBase64 } from 'nbhd:openapi-yaml-text';
import { gunzipSync } from 'node:zlib';

let text;

export function stringify(value) {
  if (value?.openapi === undefined || value?.info === undefined) {
    throw new Error('the Lambda bundle can only stringify the OpenAPI document');
  }
  text ??= gunzipSync(Buffer.from(openApiYamlGzipBase64, 'base64')).toString('utf8');
  return text;
}

export function parse() {
  throw new Error('YAML parsing is not available in the Lambda bundle');
}
