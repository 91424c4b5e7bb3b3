import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

// Each test builds a released contract and a changed copy in a temp dir and runs the real `npm run contract:diff`
// on them, so the tests do not depend on openapi.yaml or on the snapshot in contract/releases/.
const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const baseText = await readFile(new URL('../fixtures/contract/diff-base.yaml', import.meta.url), 'utf8');
const dirs: string[] = [];

interface Schema {
  type?: string;
  enum?: string[];
  pattern?: string;
  required?: string[];
  properties?: Record<string, Schema>;
}
interface Contract {
  info: { version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema> };
}

/** A named schema of the fixture (with its properties), or a failed test if the fixture lost it. */
function schemaOf(contract: Contract, name: string): Schema & { properties: Record<string, Schema> } {
  const schema = contract.components.schemas[name];
  if (!schema) throw new Error(`the fixture has no schema ${name}`);
  schema.properties ??= {};
  return schema as Schema & { properties: Record<string, Schema> };
}

interface Scenario {
  change: (contract: Contract) => void;
  version?: string;
  sdkVersion?: string;
  changeset?: 'major' | 'minor' | 'patch';
}

async function runContractDiff({ change, version = '1.0.0', sdkVersion = version, changeset }: Scenario) {
  const dir = await mkdtemp(join(tmpdir(), 'nbhd-contract-diff-'));
  dirs.push(dir);
  const contract = parse(baseText) as Contract;
  change(contract);
  contract.info.version = version;
  await mkdir(join(dir, 'releases'));
  await mkdir(join(dir, '.changeset'));
  await writeFile(join(dir, 'releases', '1.0.0.yaml'), baseText);
  await writeFile(join(dir, 'openapi.yaml'), stringify(contract));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: '@nbhd-city/sdk', version: sdkVersion }));
  if (changeset) {
    await writeFile(join(dir, '.changeset', 'a-change.md'), `---\n'@nbhd-city/sdk': ${changeset}\n---\n\nA change.\n`);
  }
  const args = ['run', '-s', 'contract:diff', '--', '--contract', join(dir, 'openapi.yaml')];
  args.push('--releases', join(dir, 'releases'), '--sdk-package', join(dir, 'package.json'), '--changeset-root', dir);
  try {
    const { stdout, stderr } = await run('npm', args, { cwd: repoRoot });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const unchanged = () => {};
const removeResponseField = (c: Contract) => {
  const item = schemaOf(c, 'Item');
  delete item.properties.kind;
  item.required = ['id', 'name'];
};
const removeOperation = (c: Contract) => {
  const item = c.paths['/items/{id}'];
  if (item) delete item.delete;
};
const narrowRequestEnum = (c: Contract) => {
  schemaOf(c, 'ItemKind').enum = ['park', 'street'];
};
const narrowPattern = (c: Contract) => {
  schemaOf(c, 'ItemCreate').properties.name = { type: 'string', pattern: '^[A-Za-z ]+$' };
};
const addRequiredRequestField = (c: Contract) => {
  const create = schemaOf(c, 'ItemCreate');
  create.properties.city = { type: 'string' };
  create.required = [...(create.required ?? []), 'city'];
};
const addOptionalRequestField = (c: Contract) => {
  schemaOf(c, 'ItemCreate').properties.city = { type: 'string' };
};

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('npm run contract:diff', () => {
  it.concurrent('passes when the contract is the released one', async () => {
    const result = await runContractDiff({ change: unchanged });
    expect(result.output).toContain('no changes since 1.0.0');
    expect(result.code).toBe(0);
  });

  it.concurrent.each([
    ['a removed response field', removeResponseField, 'property-removed'],
    ['a removed operation', removeOperation, 'operation-removed'],
    ['a narrowed request enum', narrowRequestEnum, 'enum-values-removed'],
    ['a narrowed pattern', narrowPattern, 'schema-constraint-changed'],
    ['a new required request field', addRequiredRequestField, 'required-properties-added'],
  ])('fails on %s without a major bump, naming the rule', async (_name, change, rule) => {
    const minor = await runContractDiff({ change, version: '1.1.0' });
    expect(minor.output).toContain(rule);
    expect(minor.output).toContain('need a major release (2.0.0), but the next release is 1.1.0');
    expect(minor.code).toBe(1);
  });

  it.concurrent('passes a breaking change when info.version and the SDK went to the next major', async () => {
    const result = await runContractDiff({ change: removeOperation, version: '2.0.0' });
    expect(result.output).toContain('a major change');
    expect(result.code).toBe(0);
  });

  it.concurrent('passes a new optional request field as a minor change', async () => {
    const result = await runContractDiff({ change: addOptionalRequestField, version: '1.1.0' });
    expect(result.output).toContain('0 major, 1 minor');
    expect(result.output).toContain('a minor change');
    expect(result.code).toBe(0);
  });

  it.concurrent('fails a new optional field when neither info.version nor a changeset bumps the minor', async () => {
    const result = await runContractDiff({ change: addOptionalRequestField, changeset: 'patch' });
    expect(result.output).toContain('need a minor release (1.1.0), but the next release is 1.0.1');
    expect(result.code).toBe(1);
  });

  it.concurrent('counts a pending changeset as the next release before `changeset version` ran', async () => {
    const minor = await runContractDiff({ change: addOptionalRequestField, changeset: 'minor' });
    expect(minor.output).toContain('the next release, 1.1.0 (from the pending changesets (minor))');
    expect(minor.code).toBe(0);
    const major = await runContractDiff({ change: removeResponseField, changeset: 'minor' });
    expect(major.code).toBe(1);
  });

  it.concurrent("fails when the SDK's version is not the contract's", async () => {
    const result = await runContractDiff({ change: addOptionalRequestField, version: '1.1.0', sdkVersion: '1.0.0' });
    expect(result.output).toContain("the SDK's version follows the contract");
    expect(result.code).toBe(1);
  });
});
