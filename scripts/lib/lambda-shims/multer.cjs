// Stands in for multer in the Lambda bundle: the app turns express-openapi-validator's multipart handling off
// (fileUploader: false), so multer is imported but never called.
'use strict';

class MulterError extends Error {}

function multer() {
  throw new Error('multipart bodies are not supported by this API (fileUploader: false)');
}
multer.MulterError = MulterError;

module.exports = multer;
