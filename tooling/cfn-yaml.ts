import { readFileSync } from 'node:fs';
import { type CollectionTag, parse, type ScalarTag, YAMLMap, YAMLSeq } from 'yaml';

/** Short-form intrinsic functions (`!Ref x`) and the long-form key each becomes (`{ Ref: x }`). */
const intrinsics = [
  'And',
  'Base64',
  'Cidr',
  'Condition',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Ref',
  'Select',
  'Split',
  'Sub',
  'Transform',
] as const;

function toLongForm(name: string, value: unknown): Record<string, unknown> {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  // `!GetAtt Table.Arn` is the short form of `Fn::GetAtt: [Table, Arn]`.
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

const cloudFormationTags: (ScalarTag | CollectionTag)[] = intrinsics.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => toLongForm(name, value) } satisfies ScalarTag,
  {
    tag: `!${name}`,
    collection: 'seq',
    nodeClass: YAMLSeq,
    resolve: (seq) => toLongForm(name, seq.toJSON()) as never,
  } satisfies CollectionTag,
  {
    tag: `!${name}`,
    collection: 'map',
    nodeClass: YAMLMap,
    resolve: (map) => toLongForm(name, map.toJSON()) as never,
  } satisfies CollectionTag,
]);

/** Parses a CloudFormation YAML template, turning every short-form intrinsic into its JSON (long) form. */
export function parseCloudFormationYaml(source: string): unknown {
  return parse(source, { customTags: cloudFormationTags, strict: true, uniqueKeys: true });
}

/** The stack's template, infrastructure/template.yaml. */
export const templatePath = new URL('../infrastructure/template.yaml', import.meta.url).pathname;

/** infrastructure/template.yaml with its short-form intrinsics expanded (the caller gives it a type). */
export function readStackTemplate(): unknown {
  return parseCloudFormationYaml(readFileSync(templatePath, 'utf8'));
}
