import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The GitHub Action (action.yml): its shape, and the script of its check step run with bash against a
 * stand-in `oss-inventory` that records its arguments, so that the scan-then-check sequence, the exit code
 * and the outputs are tested without GitHub.
 */
const repo = path.resolve(import.meta.dirname, '..');
const action = parse(readFileSync(path.join(repo, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: {
    using: string;
    steps: {
      id?: string;
      uses?: string;
      run?: string;
      env?: Record<string, string>;
      with?: Record<string, unknown>;
    }[];
  };
};
const checkStep = action.runs.steps.find((s) => s.id === 'check')!;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-action-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface StepRun {
  status: number | null;
  calls: string[][];
  outputs: Record<string, string>;
}

/** Runs the check step's script; the stand-in exits with `codes.scan` for scan and `codes.check` for check. */
async function runStep(
  inputs: Record<string, string>,
  codes: { scan: number; check: number },
): Promise<StepRun> {
  const bin = path.join(dir, 'bin');
  await spawnSync('mkdir', ['-p', bin, path.join(dir, 'temp'), path.join(dir, 'work')]);
  const calls = path.join(dir, 'calls');
  const fake = path.join(bin, 'oss-inventory');
  await writeFile(
    fake,
    [
      '#!/bin/bash',
      `for a in "$@"; do printf '%s\\0' "$a"; done >> "${calls}"`,
      `printf '\\n' >> "${calls}"`,
      `if [ "$1" = scan ]; then exit ${codes.scan}; else exit ${codes.check}; fi`,
      '',
    ].join('\n'),
  );
  await chmod(fake, 0o755);
  const output = path.join(dir, 'github-output');
  await writeFile(output, '');
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    RUNNER_TEMP: path.join(dir, 'temp'),
    GITHUB_OUTPUT: output,
  };
  for (const [name, value] of Object.entries(checkStep.env ?? {})) {
    const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(value)?.[1];
    expect(input, `${name} is set from an input`).toBeDefined();
    env[name] = inputs[input!] ?? action.inputs[input!]?.default ?? '';
  }
  const result = spawnSync('bash', ['-e', '-c', checkStep.run!], {
    cwd: path.join(dir, 'work'),
    env,
    encoding: 'utf8',
  });
  const recorded = existsSync(calls) ? await readFile(calls, 'utf8') : '';
  return {
    status: result.status,
    calls: recorded
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\0').filter((a, i, all) => i < all.length - 1 || a !== '')),
    outputs: Object.fromEntries(
      (await readFile(output, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
    ),
  };
}

describe('action.yml', () => {
  it('is a composite action on Node 20 that installs this repository and takes the documented inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps[0]).toMatchObject({
      uses: 'actions/setup-node@v4',
      with: { 'node-version': 20 },
    });
    expect(action.runs.steps[1]!.run).toContain('npm install --global');
    expect(action.runs.steps[1]!.run).toContain('"$GITHUB_ACTION_PATH"');
    expect(Object.keys(action.inputs)).toEqual([
      'policy',
      'path',
      'format',
      'base-inventory',
      'fail-on',
      'sarif-file',
      'config',
      'working-directory',
    ]);
    expect(action.inputs.format!.default).toBe('github');
    expect(action.inputs['fail-on']!.default).toBe('error');
    expect(Object.keys(action.outputs)).toEqual(['exit-code', 'inventory', 'sarif-file']);
    expect(checkStep.run).not.toContain('${{');
  });

  it('scans once, checks the inventory in the chosen format, writes SARIF, and exits with the check status', async () => {
    const run = await runStep(
      {
        policy: 'policy.yaml',
        path: 'apps/web\napps/api',
        'base-inventory': 'base/inventory.json',
        'sarif-file': 'licenses.sarif',
      },
      { scan: 0, check: 1 },
    );
    const inventory = path.join(dir, 'temp', 'oss-inventory', 'inventory.json');
    expect(run.calls).toEqual([
      [
        'scan',
        'apps/web',
        'apps/api',
        '--format',
        'inventory-json',
        '--out',
        path.join(dir, 'temp', 'oss-inventory'),
      ],
      [
        'check',
        '--inventory',
        inventory,
        '--fail-on',
        'error',
        '--policy',
        'policy.yaml',
        '--base',
        'base/inventory.json',
        '--format',
        'github',
      ],
      [
        'check',
        '--inventory',
        inventory,
        '--fail-on',
        'error',
        '--policy',
        'policy.yaml',
        '--base',
        'base/inventory.json',
        '--format',
        'sarif',
        '--output',
        'licenses.sarif',
        '--quiet',
      ],
    ]);
    expect(run.status).toBe(1);
    expect(run.outputs).toEqual({ inventory, 'exit-code': '1', 'sarif-file': 'licenses.sarif' });
  });

  it('leaves out what is not given, and stops after a scan that fails', async () => {
    const clean = await runStep({}, { scan: 0, check: 0 });
    expect(clean.calls.map((c) => c.join(' '))).toEqual([
      `scan --format inventory-json --out ${path.join(dir, 'temp', 'oss-inventory')}`,
      `check --inventory ${path.join(dir, 'temp', 'oss-inventory', 'inventory.json')} --fail-on error --format github`,
    ]);
    expect(clean.status).toBe(0);
    expect(clean.outputs['exit-code']).toBe('0');

    await rm(path.join(dir, 'calls'));
    const failed = await runStep({ 'sarif-file': 'x.sarif' }, { scan: 2, check: 0 });
    expect(failed.calls.map((c) => c[0])).toEqual(['scan']);
    expect(failed.status).toBe(2);
    expect(failed.outputs).toEqual({ 'exit-code': '2' });
  });

  it('writes no SARIF after a policy error, and passes inputs as plain arguments, never as shell code', async () => {
    const run = await runStep(
      {
        policy: '$(touch pwned-policy)',
        path: 'a;touch pwned-path `touch pwned-tick`',
        'sarif-file': 'x.sarif',
      },
      { scan: 0, check: 2 },
    );
    expect(run.calls[0]).toEqual([
      'scan',
      'a;touch',
      'pwned-path',
      '`touch',
      'pwned-tick`',
      '--format',
      'inventory-json',
      '--out',
      path.join(dir, 'temp', 'oss-inventory'),
    ]);
    expect(run.calls[1]).toContain('$(touch pwned-policy)');
    expect(run.calls).toHaveLength(2);
    expect(run.status).toBe(2);
    for (const name of ['pwned-policy', 'pwned-path', 'pwned-tick']) {
      expect(existsSync(path.join(dir, 'work', name)), name).toBe(false);
    }
  });
});
