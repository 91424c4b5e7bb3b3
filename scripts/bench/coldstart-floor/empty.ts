// Floor of `npm run bench:coldstart`: a handler that does nothing, so its row is Node's own start-up plus the
// bench's harness (spawn, reading the event, writing the result).
export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '[]' });
