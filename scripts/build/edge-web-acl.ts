import { readStackTemplate } from '../../tooling/cfn-yaml.js';

export const edgeWebAclOutPath = new URL('../../dist/infrastructure/edge-web-acl.json', import.meta.url).pathname;

interface Template {
  Parameters: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties: unknown }>;
}

/** The names a resource refers to: `Ref`s and `${Name}` placeholders of `Fn::Sub` (pseudo parameters left out). */
function referencedNames(node: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) referencedNames(item, names);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string') names.add(value);
      else if (key === 'Fn::Sub' && typeof value === 'string') {
        for (const [, name] of value.matchAll(/\$\{([A-Za-z0-9:]+)\}/g)) names.add(name as string);
      } else referencedNames(value, names);
    }
  }
  for (const name of names) if (name.startsWith('AWS::')) names.delete(name);
  return names;
}

/**
 * A template of its own for the main template's `EdgeWebAcl`, for stacks outside us-east-1 (a CLOUDFRONT-scope
 * web ACL exists only there): the same resource, unconditional, with the parameters it uses and its ARN as an
 * output, so the web ACL is written once. Deploy it in us-east-1, pass the output as `EdgeWebAclArn`.
 */
export function buildEdgeWebAclTemplate(): Record<string, unknown> {
  const main = readStackTemplate() as Template;
  const acl = main.Resources.EdgeWebAcl;
  if (!acl) throw new Error('infrastructure/template.yaml has no EdgeWebAcl');
  const { Condition: _condition, ...resource } = acl;
  const parameters = Object.fromEntries(
    [...referencedNames(resource)].sort().map((name) => {
      const parameter = main.Parameters[name];
      if (!parameter) throw new Error(`EdgeWebAcl refers to ${name}, which is no parameter of the main template`);
      return [name, parameter];
    }),
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'nbhd.city API: the edge web ACL alone (built from infrastructure/template.yaml by npm run build:edge-web-acl), ' +
      'for a stack outside us-east-1. Deploy in us-east-1; pass EdgeWebAclArn to the main stack.',
    Parameters: parameters,
    Rules: {
      CreatedInUsEast1: {
        Assertions: [
          {
            Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
            AssertDescription: 'A CLOUDFRONT-scope web ACL can only be created in us-east-1.',
          },
        ],
      },
    },
    Resources: { EdgeWebAcl: resource },
    Outputs: {
      EdgeWebAclArn: {
        Description: "The main stack's EdgeWebAclArn parameter",
        Value: { 'Fn::GetAtt': ['EdgeWebAcl', 'Arn'] },
      },
    },
  };
}
