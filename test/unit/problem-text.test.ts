import { describe, expect, it } from 'vitest';
import { chooseLocalCredentials, localCredentials } from '../../server/data/table/client.js';
import { toInstancePath } from '../../server/http/error-handler.js';
import { escapePointerSegment, summarizeReasons, toFieldName } from '../../server/http/schema-messages.js';

describe('toInstancePath', () => {
  it.each([
    ['/api/nbhds', '/api/nbhds'],
    ['/api/nbhds/%', '/api/nbhds/%25'],
    ['/api/nbhds/%E0%A4%A', '/api/nbhds/%E0%A4%25A'],
    ['/api/nbhds/a b', '/api/nbhds/a%20b'],
    ['/api/nbhds/"<x>"', '/api/nbhds/%22%3Cx%3E%22'],
    ['/api/nbhds/\u00e9', '/api/nbhds/%C3%A9'],
    ['/api/nbhds/\ud800', '/api/nbhds/%EF%BF%BD'],
  ])('turns %j into the URI reference %j', (raw, expected) => {
    expect(toInstancePath(raw)).toBe(expected);
  });
});

describe('field names and pointers', () => {
  it('escapes ~ and / as RFC 6901 asks', () => {
    expect(escapePointerSegment('a/b~c')).toBe('a~1b~0c');
  });

  it('quotes a field name that is not a plain identifier', () => {
    expect(toFieldName('limit')).toBe('limit');
    expect(toFieldName(' ')).toBe('" "');
  });
});

describe('summarizeReasons', () => {
  it('says one reason as it is, up to three joined, and counts the rest', () => {
    expect(summarizeReasons(['name must not be empty'])).toBe('name must not be empty');
    expect(summarizeReasons(['a is required', 'b is required', 'a is required'])).toBe('a is required; b is required');
    expect(summarizeReasons(['a', 'b', 'c', 'd', 'e'])).toBe('a; b; and 3 more problems (see errors)');
  });
});

describe('chooseLocalCredentials', () => {
  it('fills in placeholders for an endpoint on this machine, and for another endpoint when the environment names no AWS credentials', () => {
    expect(chooseLocalCredentials('http://127.0.0.1:8000', {})).toEqual({ credentials: localCredentials });
    expect(chooseLocalCredentials('http://localhost:8000', { AWS_PROFILE: 'dev' })).toEqual({
      credentials: localCredentials,
    });
    expect(chooseLocalCredentials('http://dynamodb.internal:8000', {})).toEqual({ credentials: localCredentials });
    expect(chooseLocalCredentials('http://dynamodb.internal:8000', { AWS_ACCESS_KEY_ID: 'AKIA' })).toEqual({});
    expect(chooseLocalCredentials('https://vpce.example:443', { AWS_PROFILE: 'dev' })).toEqual({});
    expect(chooseLocalCredentials(undefined, {})).toEqual({});
  });
});
