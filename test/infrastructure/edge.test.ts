import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEdgeWebAclTemplate } from '../../scripts/build/edge-web-acl.js';
import { ApiError, problemTypeBase } from '../../server/errors.js';
import { edgeSecretHeader } from '../../server/http/edge-origin.js';
import { loadContract } from '../helpers/contract.js';
import { getFunctionProperty, getNamedResource, getResource, loadTemplate, type Template } from './template.js';

const template = loadTemplate();
/** CloudFormation's `${Name}` placeholder, spelled so no linter mistakes it for a JS template string. */
const ph = (name: string) => ['${', name, '}'].join('');
const executeApiDomain = `${ph('HttpApi')}.execute-api.${ph('AWS::Region')}.${ph('AWS::URLSuffix')}`;

interface RateRule {
  Name: string;
  Action: {
    Block: {
      CustomResponse: {
        ResponseCode: number;
        CustomResponseBodyKey: string;
        ResponseHeaders: { Name: string; Value: unknown }[];
      };
    };
  };
  Statement: {
    RateBasedStatement: {
      AggregateKeyType: string;
      Limit: { Ref: string };
      EvaluationWindowSec: number;
      ScopeDownStatement: {
        ByteMatchStatement: {
          FieldToMatch: unknown;
          PositionalConstraint: string;
          SearchString: string;
          TextTransformations: { Priority: number; Type: string }[];
        };
      };
    };
  };
}

/** A value as CloudFormation would deploy it with every parameter at its default (`Fn::Sub` and `Ref`). */
function withDefaults(value: unknown, parameters: Template['Parameters'] = template.Parameters): string {
  const defaultOf = (name: string) => String(parameters[name]?.Default);
  if (typeof value === 'string') return value;
  const node = value as { 'Fn::Sub'?: string; Ref?: string };
  if (node.Ref !== undefined) return defaultOf(node.Ref);
  if (node['Fn::Sub'] !== undefined)
    return node['Fn::Sub'].replace(/\$\{([A-Za-z0-9]+)\}/g, (_, name) => defaultOf(name));
  throw new Error(`not a plain value: ${JSON.stringify(value)}`);
}

const acl = getNamedResource(template, 'EdgeWebAcl', 'AWS::WAFv2::WebACL');
const rules = acl.Properties.Rules as RateRule[];
const distribution = getNamedResource(template, 'EdgeDistribution', 'AWS::CloudFront::Distribution');
const distributionConfig = distribution.Properties.DistributionConfig as Record<string, unknown>;

/** The login routes the HTTP API throttles apart (GET /auth/login, …): the web ACL must cover each of them. */
function loginRoutes(): { method: string; path: string }[] {
  const api = getResource(template, 'AWS::Serverless::HttpApi').Properties;
  return Object.keys(api.RouteSettings as Record<string, unknown>).map((route) => {
    const [method, path] = route.split(' ') as [string, string];
    return { method, path };
  });
}

describe('the edge (EdgeProtection=Enabled): CloudFront and AWS WAF in front of the HTTP API', () => {
  it('is all optional: the distribution and its secret only when enabled, the web ACL only when none is given', () => {
    expect(template.Parameters.EdgeProtection).toMatchObject({
      Default: 'Disabled',
      AllowedValues: ['Enabled', 'Disabled'],
    });
    expect(distribution.Condition).toBe('EdgeEnabled');
    expect(getNamedResource(template, 'EdgeOriginSecret', 'AWS::SecretsManager::Secret').Condition).toBe('EdgeEnabled');
    expect(acl.Condition).toBe('CreateEdgeWebAcl');
    expect(template.Conditions?.CreateEdgeWebAcl).toEqual({
      'Fn::And': [{ Condition: 'EdgeEnabled' }, { 'Fn::Equals': [{ Ref: 'EdgeWebAclArn' }, ''] }],
    });
    expect(distributionConfig.WebACLId).toEqual({
      'Fn::If': ['CreateEdgeWebAcl', { 'Fn::GetAtt': ['EdgeWebAcl', 'Arn'] }, { Ref: 'EdgeWebAclArn' }],
    });
  });

  it('creates the web ACL in CloudFront scope, which exists only in us-east-1, and says so before deploying', () => {
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    expect(acl.Properties.DefaultAction).toEqual({ Allow: {} });
    const rule = (template as unknown as { Rules: Record<string, { Assertions: { Assert: unknown }[] }> }).Rules
      .EdgeWebAclIsCreatedInUsEast1;
    expect(rule?.Assertions[0]?.Assert).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
  });

  it('limits each login route per client IP, matching its path however it is spelled', () => {
    const covered = rules.map((rule) => {
      const statement = rule.Statement.RateBasedStatement;
      expect(statement.AggregateKeyType).toBe('IP');
      const match = statement.ScopeDownStatement.ByteMatchStatement;
      expect(match.FieldToMatch).toEqual({ UriPath: {} });
      // Prefix, after decoding, collapsing `//` and `/./`, and lower-casing: `/Auth//login/` is the same path.
      expect(match.PositionalConstraint).toBe('STARTS_WITH');
      expect(match.TextTransformations.map((step) => step.Type)).toEqual(['URL_DECODE', 'NORMALIZE_PATH', 'LOWERCASE']);
      expect(match.SearchString).toBe(match.SearchString.toLowerCase());
      const limit = template.Parameters[statement.Limit.Ref] as unknown as { Default: number; MinValue: number };
      expect(limit.MinValue).toBeGreaterThanOrEqual(10);
      return match.SearchString;
    });
    expect(covered.sort()).toEqual(
      loginRoutes()
        .map((route) => route.path)
        .sort(),
    );
    expect(new Set(rules.map((rule) => (rule as unknown as { Priority: number }).Priority)).size).toBe(rules.length);
  });

  it("answers over a limit with the contract's 429 problem for that path, naming the rule, readable cross-origin", () => {
    const { validator } = loadContract();
    const bodies = acl.Properties.CustomResponseBodies as Record<string, { ContentType: string; Content: unknown }>;
    const byPath = new Map(loginRoutes().map((route) => [route.path, route.method]));
    for (const rule of rules) {
      const { CustomResponse: response } = rule.Action.Block;
      const statement = rule.Statement.RateBasedStatement;
      const path = statement.ScopeDownStatement.ByteMatchStatement.SearchString;
      expect(response.ResponseCode).toBe(429);
      const body = bodies[response.CustomResponseBodyKey];
      expect(body?.ContentType).toBe('APPLICATION_JSON');
      const problem = JSON.parse(withDefaults(body?.Content));
      const limit = String(template.Parameters[statement.Limit.Ref]?.Default);
      const window = statement.EvaluationWindowSec;
      expect(problem).toEqual({
        type: `${problemTypeBase}too-many-requests`,
        title: new ApiError('too-many-requests', '').title,
        status: 429,
        detail: expect.stringContaining(`over ${limit} in ${window / 60} minutes`),
        instance: path,
        request_id: 'edge',
      });
      const headers = new Headers(
        response.ResponseHeaders.map(({ Name, Value }): [string, string] => [Name, withDefaults(Value)]),
      );
      expect(headers.get('retry-after')).toBe(String(window));
      expect(headers.get('ratelimit')).toBe(`"${rule.Name}";r=0;t=${window}`);
      expect(headers.get('ratelimit-policy')).toBe(`"${rule.Name}";q=${limit};w=${window}`);
      expect(headers.get('access-control-allow-origin')).toBe('*');
      expect(headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual(
        expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy', 'X-Request-Id']),
      );
      // Headers and body as the contract documents the 429 of that operation (WAF labels it application/json).
      headers.set('content-type', 'application/problem+json');
      validator.validate({ method: byPath.get(path) ?? '', path, status: 429, headers, body: JSON.stringify(problem) });
    }
  });

  it("forwards everything to the HTTP API but Host, caches nothing, and signs each request with the function's secret", () => {
    const origin = (distributionConfig.Origins as Record<string, unknown>[])[0] ?? {};
    expect(origin.DomainName).toEqual({ 'Fn::Sub': executeApiDomain });
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    const timeout = (origin.CustomOriginConfig as { OriginReadTimeout: number }).OriginReadTimeout;
    expect(timeout).toBeGreaterThan(getFunctionProperty(template, 'Timeout') as number);
    const [header] = origin.OriginCustomHeaders as { HeaderName: string; HeaderValue: unknown }[];
    expect(header?.HeaderName.toLowerCase()).toBe(edgeSecretHeader);
    const env = (getFunctionProperty(template, 'Environment') as { Variables: Record<string, unknown> }).Variables;
    const resolved = { 'Fn::Sub': `{{resolve:secretsmanager:${ph('EdgeOriginSecret')}}}` };
    expect(header?.HeaderValue).toEqual(resolved);
    expect(env.EDGE_ORIGIN_SECRET).toEqual({ 'Fn::If': ['EdgeEnabled', resolved, { Ref: 'AWS::NoValue' }] });
    const behavior = distributionConfig.DefaultCacheBehavior as Record<string, unknown>;
    expect(behavior).toMatchObject({
      TargetOriginId: origin.Id,
      ViewerProtocolPolicy: 'https-only',
      // Managed-CachingDisabled, Managed-AllViewerExceptHostHeader (Authorization and CloudFront-Viewer-Address too).
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
    expect((behavior.AllowedMethods as string[]).sort()).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'PATCH',
      'POST',
      'PUT',
    ]);
  });

  it("makes the edge the stack's ApiUrl when it is on", () => {
    expect(template.Outputs.ApiUrl?.Value).toEqual({
      'Fn::If': [
        'EdgeEnabled',
        {
          'Fn::If': [
            'HasEdgeDomain',
            { 'Fn::Sub': `https://${ph('EdgeDomainName')}` },
            { 'Fn::Sub': `https://${ph('EdgeDistribution.DomainName')}` },
          ],
        },
        { 'Fn::Sub': `https://${executeApiDomain}` },
      ],
    });
  });

  it('builds the same web ACL as a template of its own for stacks outside us-east-1, and it passes cfn-lint', () => {
    const standalone = buildEdgeWebAclTemplate() as unknown as Template;
    const { Condition: _condition, ...resource } = acl;
    expect(standalone.Resources.EdgeWebAcl).toEqual(resource);
    for (const [name, parameter] of Object.entries(standalone.Parameters)) {
      expect(parameter).toEqual(template.Parameters[name]);
    }
    const dir = mkdtempSync(join(tmpdir(), 'nbhd-edge-acl-'));
    const path = join(dir, 'edge-web-acl.json');
    writeFileSync(path, JSON.stringify(standalone));
    const result = spawnSync('cfn-lint', ['--format', 'parseable', path], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
