import { describe, expect, it } from 'vitest';
import { bumpBetween } from '../../scripts/contract/contract-check.js';
import { listRequestedWorkflows, selectWorkflowFiles, splitWorkflowArgs } from '../../scripts/contract/respect.js';

describe('bumpBetween (the bump a release gets)', () => {
  it('names the semver part that changed, and none for the same version', () => {
    expect(bumpBetween('1.0.0', '2.0.0')).toBe('major');
    expect(bumpBetween('1.0.0', '1.1.0')).toBe('minor');
    expect(bumpBetween('1.0.0', '1.0.1')).toBe('patch');
    expect(bumpBetween('1.2.3', '1.2.3')).toBe('none');
  });

  it('counts a pre-release by the part it prepares', () => {
    expect(bumpBetween('1.0.0', '2.0.0-rc.0')).toBe('major');
    expect(bumpBetween('1.0.0', '1.1.0-rc.0')).toBe('minor');
  });
});

describe('npm run workflows arguments', () => {
  it('takes --server out and passes everything else to respect', () => {
    expect(splitWorkflowArgs(['--server', 'https://api.example/', '--verbose'])).toEqual({
      server: 'https://api.example',
      respectArgs: ['--verbose'],
    });
    expect(splitWorkflowArgs(['--server=http://127.0.0.1:3000']).server).toBe('http://127.0.0.1:3000');
    expect(splitWorkflowArgs(['-w', 'a']).server).toBeUndefined();
  });

  it('refuses a --server that is not an http(s) URL', () => {
    expect(() => splitWorkflowArgs(['--server', 'staging'])).toThrow(/base URL/);
    expect(() => splitWorkflowArgs(['--server'])).toThrow(/base URL/);
  });

  it('runs only the files that define the workflows asked for', () => {
    expect(listRequestedWorkflows(['--workflow', 'expired-token', 'duplicate-name', '--verbose', '-w', 'x'])).toEqual([
      'expired-token',
      'duplicate-name',
      'x',
    ]);
    const files = ['arazzo/browse.arazzo.yaml', 'arazzo/errors.arazzo.yaml', 'arazzo/membership.arazzo.yaml'];
    expect(selectWorkflowFiles(files, ['expired-token'])).toEqual(['arazzo/errors.arazzo.yaml']);
    expect(selectWorkflowFiles(files, [])).toEqual(files);
  });
});
