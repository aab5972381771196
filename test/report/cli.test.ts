import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { stackIn, strictAppInTempDir } from './support';
import { ReadinessReport } from '../../src/report';
import { main } from '../../src/report/cli';
import { plainFunction } from '../support/stacks';

const ROOT = path.join(__dirname, '..', '..');

/** A plain app (no cdk-opex) with one stack at the top and one in a stage. */
function plainAssembly(): string {
  const { app, outdir } = strictAppInTempDir();
  const top = stackIn(app, 'Plain');
  plainFunction(top, 'Orders');
  const stage = new Stage(app, 'Prod', { env: { account: '123456789012', region: 'us-east-1' } });
  const inStage = stackIn(stage as any, 'Queues');
  new sqs.Queue(inStage, 'Jobs', { enforceSSL: true });
  app.synth();
  return outdir;
}

function capture(args: string[]) {
  let out = '';
  let err = '';
  const code = main(args, { log: (t) => { out += t; }, error: (t) => { err += t; } });
  return { code, out, err };
}

describe('cdk-opex report', () => {
  const assembly = plainAssembly();

  test('writes the three files into the assembly and prints a summary', () => {
    const { code, out, err } = capture(['report', assembly]);
    expect(err).toBe('');
    expect(code).toBe(0);
    for (const f of ['opex-readiness.json', 'opex-readiness.md', 'opex-readiness.html']) expect(fs.existsSync(path.join(assembly, f))).toBe(true);
    expect(out).toMatch(/2 stack\(s\), 2 service\(s\)/);
    expect(out).toMatch(/Orders \(lambda, none\)/);
    expect(out).toMatch(/not met: .*OPS08-BP04/);
    const report = JSON.parse(fs.readFileSync(path.join(assembly, 'opex-readiness.json'), 'utf8'));
    // The stage's stack comes from its nested assembly.
    expect(report.stacks.map((s: any) => [s.stackName, s.templateFile])).toEqual([
      ['Plain', 'Plain.template.json'],
      ['Prod-Queues', expect.stringMatching(/^assembly-Prod\/.*\.template\.json$/)],
    ]);
    expect(report.stacks[0].services[0].detection.seconds).toBeNull();
  });

  test('--out writes elsewhere', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-out-'));
    expect(capture(['report', assembly, '--out', out]).code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['opex-readiness.html', 'opex-readiness.json', 'opex-readiness.md']);
  });

  test('fails clearly on a missing directory, a directory without templates and bad arguments', () => {
    const missing = capture(['report', path.join(os.tmpdir(), 'no-such-assembly-dir')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no cloud assembly at .*no-such-assembly-dir/);
    const empty = capture(['report', fs.mkdtempSync(path.join(os.tmpdir(), 'opex-empty-'))]);
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/no \*\.template\.json in/);
    expect(capture([]).code).toBe(2);
    expect(capture(['report']).code).toBe(2);
    expect(capture(['lint', assembly]).err).toMatch(/unknown command 'lint'/);
    expect(capture(['--help']).code).toBe(0);
  });

  test('runs as a program: exit code 0, and 1 on a missing directory', () => {
    const args = ['ts-node', '--transpile-only', '--project', 'test/tsconfig.json', 'src/report/cli.ts', 'report'];
    const out = execFileSync('npx', [...args, assembly], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(/cdk-opex readiness: 2 stack\(s\)/);
    const failed = spawnSync('npx', [...args, path.join(assembly, 'missing')], { cwd: ROOT, encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/cdk-opex: no cloud assembly at/);
  }, 60_000);

  test('the TypeScript source starts with a node shebang, so lib/report/cli.js can be the package bin', () => {
    expect(fs.readFileSync(path.join(ROOT, 'src', 'report', 'cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('ReadinessReport static methods (for jsii languages)', () => {
  test('fromAssembly and writeFiles read and write the same report as the CLI', () => {
    const dir = plainAssembly();
    expect(ReadinessReport.fromAssembly(dir).summary.services).toBe(2);
    const files: string[] = ReadinessReport.writeFiles(dir);
    expect(files.map((f) => path.basename(f))).toEqual(['opex-readiness.json', 'opex-readiness.md', 'opex-readiness.html']);
  });
});
