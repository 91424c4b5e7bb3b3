// Stands in for debug in the Lambda bundle: express & co. print through it only when DEBUG=express:* is set,
// which the function never sets (its logs are Powertools JSON lines).
'use strict';

function createDebug() {
  const log = () => {};
  log.enabled = false;
  log.extend = createDebug;
  return log;
}
createDebug.enable = () => {};
createDebug.disable = () => '';
createDebug.enabled = () => false;

module.exports = createDebug;
module.exports.default = createDebug;
