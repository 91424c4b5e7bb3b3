// Stands in for js-yaml in the Lambda bundle. express-openapi-validator's $ref parser only parses YAML when a
// spec is given as a file path or refers to external YAML files; the app passes the inlined, parsed document
// with internal refs only.
'use strict';

function unsupported() {
  throw new Error('YAML parsing is not available in the Lambda bundle: pass the OpenAPI document as an object');
}

module.exports = { load: unsupported, dump: unsupported, JSON_SCHEMA: {}, default: { load: unsupported } };
