import { describe, expect, it } from 'vitest';
import type { RequestSample } from '../../loadtest/runner/samples.js';
import { percentile } from '../../loadtest/runner/samples.js';
import { evaluateThresholds, parseExpression, parseSelector } from '../../loadtest/runner/thresholds.js';

function sample(overrides: Partial<RequestSample> = {}): RequestSample {
  return {
    operation: 'getNeighborhood',
    flow: 'detail',
    method: 'GET',
    status: 200,
    startMs: 0,
    durationMs: 10,
    expected: true,
    throttled: false,
    checkOk: true,
    ...overrides,
  };
}

describe('threshold evaluation', () => {
  it('computes percentiles the way k6 does (interpolating between ranks)', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 95)).toBeCloseTo(95.05);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it('parses selectors with tag filters and expressions with each operator', () => {
    expect(parseSelector('http_req_duration{expected_response:true,operation:listMembers}')).toEqual({
      metric: 'http_req_duration',
      tags: { expected_response: 'true', operation: 'listMembers' },
    });
    expect(parseExpression('p(99.9) <= 250')).toEqual({ aggregation: 'p(99.9)', operator: '<=', limit: 250 });
    expect(parseExpression('count===0').operator).toBe('==');
    expect(() => parseExpression('p95 < 10ms')).toThrow(/not of the form/);
    expect(() => parseSelector('http_req_duration{oops}')).toThrow(/must be tag:value/);
  });

  it('fails p(95) when more than 5 % of expected responses are slow, ignoring unexpected ones', () => {
    const samples = [
      ...Array.from({ length: 90 }, () => sample({ durationMs: 5 })),
      ...Array.from({ length: 10 }, () => sample({ durationMs: 80 })),
      sample({ durationMs: 9000, status: 500, expected: false, checkOk: false }),
    ];
    const [result] = evaluateThresholds({ 'http_req_duration{expected_response:true}': ['p(95)<50'] }, samples, 1);
    expect(result).toMatchObject({ samples: 100, ok: false });
    expect(result?.value).toBe(80);
    const [passing] = evaluateThresholds({ 'http_req_duration{expected_response:true}': ['p(89)<50'] }, samples, 1);
    expect(passing?.ok).toBe(true);
  });

  it('fails the throttle counter on a single 503 and the error rate above 0.1 %', () => {
    const samples = [
      ...Array.from({ length: 999 }, () => sample()),
      sample({ status: 503, expected: false, throttled: true }),
    ];
    const results = evaluateThresholds(
      { throttled_requests: ['count==0'], http_req_failed: ['rate<0.001', 'rate<=0.001'], checks: ['rate>0.999'] },
      samples,
      10,
    );
    expect(results.map((r) => [r.metric, r.expression, r.value, r.ok])).toEqual([
      ['throttled_requests', 'count==0', 1, false],
      ['http_req_failed', 'rate<0.001', 0.001, false],
      ['http_req_failed', 'rate<=0.001', 0.001, true],
      ['checks', 'rate>0.999', 1, true],
    ]);
  });

  it('reads a counter rate per second and an empty sub-metric as 0, like k6', () => {
    const samples = Array.from({ length: 50 }, () => sample());
    const results = evaluateThresholds(
      { http_reqs: ['rate>=5'], 'http_req_duration{operation:createNeighborhood}': ['p(95)<1'] },
      samples,
      10,
    );
    expect(results.map((r) => [r.value, r.ok])).toEqual([
      [5, true],
      [0, true],
    ]);
  });

  it('refuses thresholds it cannot evaluate instead of passing them', () => {
    expect(() => evaluateThresholds({ http_req_waiting: ['p(95)<1'] }, [], 1)).toThrow(/unknown metric/);
    expect(() => evaluateThresholds({ checks: ['p(95)<1'] }, [], 1)).toThrow(/rate, which has no p\(95\)/);
  });
});
