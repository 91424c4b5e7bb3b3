// Stands in for object-inspect in the Lambda bundle (18 KiB): side-channel only uses it to word the message of
// an internal "side channel does not contain …" error.
'use strict';

module.exports = (value) => {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
};
