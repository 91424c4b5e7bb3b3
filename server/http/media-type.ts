/**
 * A Content-Type as request bodies are matched by: the media type and its parameters in lower case (a charset's
 * value too), sorted, without `boundary` — `Application/JSON;Charset=UTF-8` → `application/json; charset=utf-8`.
 */
export function normalizeMediaType(contentType: string): string {
  const [type = '', ...params] = contentType.split(';');
  const pairs = params
    .map((param) => param.split('=').map((part) => part.trim()))
    .filter((pair): pair is [string, string] => pair.length === 2)
    .map(([key, value]): [string, string] => [
      key.toLowerCase(),
      key.toLowerCase() === 'charset' ? value.toLowerCase() : value,
    ])
    .filter(([key]) => key !== 'boundary')
    .sort(([a], [b]) => a.localeCompare(b));
  return type.trim().toLowerCase() + pairs.map(([key, value]) => `; ${key}=${value}`).join('');
}
