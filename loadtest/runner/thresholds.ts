import { percentile, type RequestSample, toTags } from './samples.js';

type MetricKind = 'trend' | 'rate' | 'counter';

/** The k6 metrics the runner reproduces, and how each reads a sample. */
const metrics: Record<string, { kind: MetricKind; read: (sample: RequestSample) => number | boolean }> = {
  http_req_duration: { kind: 'trend', read: (s) => s.durationMs },
  http_req_failed: { kind: 'rate', read: (s) => !s.expected },
  http_reqs: { kind: 'counter', read: () => 1 },
  throttled_requests: { kind: 'counter', read: (s) => (s.throttled ? 1 : 0) },
  checks: { kind: 'rate', read: (s) => s.checkOk },
};

export interface Selector {
  metric: string;
  tags: Record<string, string>;
}

/** Parses a k6 threshold key such as `http_req_duration{expected_response:true,operation:getNeighborhood}`. */
export function parseSelector(text: string): Selector {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\{([^}]*)\})?$/.exec(text.trim());
  if (!match) throw new Error(`threshold metric "${text}" is not of the form metric or metric{tag:value,…}`);
  const tags: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter((part) => part.trim() !== '')) {
    const colon = pair.indexOf(':');
    if (colon <= 0) throw new Error(`threshold metric "${text}": tag filter "${pair}" must be tag:value`);
    tags[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
  }
  return { metric: match[1] as string, tags };
}

export interface Expression {
  aggregation: string;
  operator: '<' | '<=' | '>' | '>=' | '==' | '!=';
  limit: number;
}

const aggregationsByKind: Record<MetricKind, RegExp> = {
  trend: /^(avg|min|max|med|p\(\d+(\.\d+)?\))$/,
  rate: /^rate$/,
  counter: /^(count|rate)$/,
};

/** Parses a k6 threshold expression such as `p(95)<500`, `rate<0.001`, `count==0`. */
export function parseExpression(text: string): Expression {
  const match = /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) throw new Error(`threshold "${text}" is not of the form aggregation operator number`);
  const operator = (match[2] === '===' ? '==' : match[2]) as Expression['operator'];
  return { aggregation: match[1] as string, operator, limit: Number(match[3]) };
}

function compare(value: number, { operator, limit }: Expression): boolean {
  switch (operator) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

function aggregate(kind: MetricKind, values: (number | boolean)[], aggregation: string, seconds: number): number {
  const numbers = values.map(Number);
  if (kind === 'rate') return numbers.length ? numbers.filter((v) => v !== 0).length / numbers.length : 0;
  const sum = numbers.reduce((total, value) => total + value, 0);
  if (kind === 'counter') return aggregation === 'count' ? sum : seconds > 0 ? sum / seconds : 0;
  const sorted = numbers.sort((a, b) => a - b);
  if (aggregation === 'avg') return sorted.length ? sum / sorted.length : 0;
  if (aggregation === 'min') return sorted[0] ?? 0;
  if (aggregation === 'max') return sorted[sorted.length - 1] ?? 0;
  if (aggregation === 'med') return percentile(sorted, 50);
  return percentile(sorted, Number(aggregation.slice(2, -1)));
}

export interface ThresholdResult {
  metric: string;
  expression: string;
  value: number;
  samples: number;
  ok: boolean;
}

/**
 * Evaluates k6-style thresholds over the run's samples the way k6 does at the end of a test
 * (an empty sub-metric reads 0). Unknown metrics or aggregations are errors, not passes.
 */
export function evaluateThresholds(
  thresholds: Record<string, string[]>,
  samples: readonly RequestSample[],
  durationSeconds: number,
): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const [key, expressions] of Object.entries(thresholds)) {
    const selector = parseSelector(key);
    const metric = metrics[selector.metric];
    if (!metric) throw new Error(`threshold on unknown metric "${selector.metric}"`);
    const matching = samples.filter((sample) => {
      const tags = toTags(sample);
      return Object.entries(selector.tags).every(([tag, value]) => tags[tag] === value);
    });
    const values = matching.map(metric.read);
    for (const text of expressions) {
      const expression = parseExpression(text);
      if (!aggregationsByKind[metric.kind].test(expression.aggregation)) {
        throw new Error(
          `threshold "${text}": ${selector.metric} is a ${metric.kind}, which has no ${expression.aggregation}`,
        );
      }
      const value = aggregate(metric.kind, values, expression.aggregation, durationSeconds);
      results.push({ metric: key, expression: text, value, samples: matching.length, ok: compare(value, expression) });
    }
  }
  return results;
}
