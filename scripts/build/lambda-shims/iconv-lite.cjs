// Stands in for iconv-lite in the Lambda bundle (its code-page tables are ~480 KiB). body-parser and raw-body
// only decode request bodies; Node's TextDecoder (full ICU in the official Node 22 build) covers every charset
// a client can reasonably send. Unknown charsets are rejected as before (body-parser → 415).
'use strict';

function encodingExists(encoding) {
  try {
    new TextDecoder(encoding);
    return true;
  } catch {
    return false;
  }
}

/** raw-body turns exactly this message into 415 "specified encoding unsupported". */
function createDecoder(encoding) {
  try {
    return new TextDecoder(encoding);
  } catch {
    throw new Error(`Encoding not recognized: '${encoding}' (searched as: '${encoding}')`);
  }
}

function getDecoder(encoding) {
  const decoder = createDecoder(encoding);
  return {
    write: (chunk) => decoder.decode(chunk, { stream: true }),
    end: () => decoder.decode() || undefined,
  };
}

function decode(buffer, encoding) {
  return createDecoder(encoding).decode(buffer);
}

function encode(text, encoding) {
  if (!/^utf-?8$/i.test(encoding)) throw new Error(`encoding ${encoding} is not supported in the Lambda bundle`);
  return Buffer.from(text, 'utf8');
}

module.exports = { encodingExists, getDecoder, decode, encode };
