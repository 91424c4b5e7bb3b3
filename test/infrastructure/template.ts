import { readStackTemplate } from '../../tooling/cfn-yaml.js';

export { templatePath } from '../../tooling/cfn-yaml.js';

export interface Resource {
  Type: string;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Properties: Record<string, unknown>;
}

export interface Template {
  AWSTemplateFormatVersion: string;
  Transform?: string;
  Parameters: Record<string, { Type: string; Default?: unknown; AllowedValues?: unknown[]; NoEcho?: boolean }>;
  Conditions?: Record<string, unknown>;
  Globals?: { Function?: Record<string, unknown> };
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Value: unknown }>;
}

/** Reads infrastructure/template.yaml with CloudFormation's short-form tags expanded. */
export function loadTemplate(): Template {
  return readStackTemplate() as Template;
}

export function getResources(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export function getResource(template: Template, type: string): Resource {
  const found = getResources(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return (found[0] as [string, Resource])[1];
}

/** One resource by its logical id, checked to be of the given type. */
export function getNamedResource(template: Template, logicalId: string, type: string): Resource {
  const resource = template.Resources[logicalId];
  if (resource?.Type !== type) throw new Error(`expected ${logicalId} to be a ${type}, found ${resource?.Type}`);
  return resource;
}

/** A function property as deployed: its own value, else the SAM Globals value (the API's function by default). */
export function getFunctionProperty(template: Template, name: string, logicalId = 'ApiFunction'): unknown {
  const fn = getNamedResource(template, logicalId, 'AWS::Serverless::Function');
  return fn.Properties[name] ?? template.Globals?.Function?.[name];
}
