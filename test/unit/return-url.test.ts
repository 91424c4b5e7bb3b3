import { describe, expect, it } from 'vitest';
import { createReturnUrlPolicy } from '../../server/oauth/return-url.js';

const policy = createReturnUrlPolicy(['https://nbhd.city', 'https://staging.nbhd.city/app/']);

describe('return URL allow-list', () => {
  it.each([
    ['https://nbhd.city', 'https://nbhd.city'],
    ['https://nbhd.city/', 'https://nbhd.city'],
    ['https://nbhd.city/en', 'https://nbhd.city/en'],
    ['https://staging.nbhd.city/app', 'https://staging.nbhd.city/app'],
    ['https://staging.nbhd.city/app/v2/', 'https://staging.nbhd.city/app/v2'],
  ])('allows %s (as %s)', (candidate, expected) => {
    expect(policy.check(candidate)).toBe(expected);
  });

  it.each([
    'https://evil.example',
    'https://nbhd.city.evil.example',
    'http://nbhd.city',
    'https://nbhd.city:8443',
    'https://user@nbhd.city',
    'https://nbhd.city/?next=https://evil.example',
    'https://nbhd.city/#x',
    'https://staging.nbhd.city/application',
    'https://staging.nbhd.city/',
    'javascript:alert(1)',
    'not a url',
  ])('rejects %s', (candidate) => {
    expect(policy.check(candidate)).toBeUndefined();
  });
});
