import { awscdk, DependencyType, javascript, JsonFile, typescript } from 'projen';

// Versions we test against; peers stay as low as cdk-nag 3 allows.
const CDK_FLOOR = '2.257.0';
const CDK_TESTED = '2.276.0';
const CDK_CLI = '2.1148.1'; // the CLI that reads aws-cdk-lib 2.276 assemblies
const CDK_NAG = '3.0.2';

const CLI_FLAGS = '--no-notices --no-version-reporting';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-opex',
  description:
    'AWS CDK constructs that ship every service operable from day one: alarms, dashboards, runbooks, safe rollouts and checks for the Well-Architected Operational Excellence pillar.',
  author: 'cdk-opex maintainers',
  authorAddress: 'maintainers@cdk-opex.dev',
  repositoryUrl: 'https://example.invalid/cdk-opex.git',
  keywords: ['cdk', 'operational-excellence', 'well-architected', 'cloudwatch', 'codedeploy', 'ssm', 'runbooks', 'cdk-nag'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  github: false,
  release: false,
  jsiiVersion: '~6.0.0',

  // The four bindings jsii generates besides JavaScript; `.ci/run` generates each with jsii-pacmak.
  publishToPypi: { distName: 'cdk-opex', module: 'cdk_opex' },
  publishToMaven: { javaPackage: 'dev.cdkopex', mavenGroupId: 'dev.cdk-opex', mavenArtifactId: 'cdk-opex' },
  publishToNuget: { dotNetNamespace: 'CdkOpex', packageId: 'CdkOpex' },
  publishToGo: { moduleName: 'example.invalid/cdk-opex-go' },

  cdkVersion: CDK_FLOOR,
  // Test against a newer aws-cdk-lib than the peer floor (strict CloudFormation validation).
  peerDependencyOptions: { pinnedDevDependency: false },
  peerDeps: [`cdk-nag@^${CDK_NAG}`],
  devDeps: [
    `aws-cdk-lib@${CDK_TESTED}`,
    `cdk-nag@${CDK_NAG}`,
    `aws-cdk@${CDK_CLI}`,
    // AWS Control Tower's proactive controls as cfn-guard rules, run by tests and the demo.
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    // Property-based tests of every public construct.
    'fast-check@^4',
    // AWS's own service models (apis/*.json): runbook steps' APIs and inputs are checked against them in tests.
    'aws-sdk@2.1693.0',
    // The best monitoring-only peer, used by `npm run bench` alone to measure cdk-opex side by side with it.
    'cdk-monitoring-constructs@10.2.0',
  ],

  tsconfigDev: {
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
    compilerOptions: {},
  },
  jestOptions: {
    // A changed logical id must fail `npm test`; `npx projen test:update` rewrites snapshots on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
      // Both cores: jest's default leaves one idle on a 2-core machine.
      maxWorkers: 2,
      // One CloudFormation validation engine per worker instead of one per test file (see the file).
      testEnvironment: '<rootDir>/test/support/jest/environment.js',
      moduleNameMapper: { '^@aws/cloudformation-validate$': '<rootDir>/test/support/jest/cloudformation-validate.js' },
    },
  },
  // `npm test` type-checks the tests with tsc first; ts-jest then only transpiles each file, which is what keeps the suite fast.
  tsJestOptions: { transformOptions: { tsconfig: typescript.TsJestTsconfig.fromFile('test/tsconfig.json'), isolatedModules: true } },
  gitignore: ['demo.out/', 'cdk.out/', 'bench.out/'],
  npmIgnoreOptions: { ignorePatterns: ['examples/', 'bench/', 'scripts/', 'demo.out/', 'bench.out/', '.ci/'] },
});

// projen drops constructs from the build deps; tests and the demo need it.
project.deps.addDependency('constructs@10.5.1', DependencyType.BUILD);

// Fail on any jsii warning (Go reserved words included); we test on a newer aws-cdk-lib than the peer floor on purpose.
const JSII_FLAGS = '--silence-warnings=metadata/missing-dev-dependency --fail-on-warnings';
project.compileTask.reset(`jsii ${JSII_FLAGS}`);
project.watchTask.reset(`jsii -w ${JSII_FLAGS}`);

// `npx cdk-opex report <cdk.out>`: the readiness report of any synthesized app.
project.package.addBin({ 'cdk-opex': 'lib/report/cli.js' });

// The registry we install from lacks most platform builds of unrs-resolver 1.13.
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// Lint the demo and benchmark too; each folder gets a tsconfig so the linter's project service finds it.
for (const dir of ['examples', 'bench', 'scripts']) {
  project.eslint?.addLintPattern(dir);
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] },
  });
}

const tsNode = 'ts-node --transpile-only --project test/tsconfig.json';

// ts-jest transpiles tests without type checking; check the tests, demo and bench first.
project.testTask.prependExec('tsc --noEmit --project test/tsconfig.json');
// The README's snippets become a module the type check and test/readme read; CI fails if it is stale.
project.testTask.prependExec(`${tsNode} scripts/readme-snippets.ts`);


project.addTask('demo', {
  description: 'Synthesize the example app with the CDK CLI and AwsSolutionsChecks, then print a summary per service',
  steps: [
    { exec: 'rm -rf demo.out' },
    { exec: `cdk synth --quiet --app "${tsNode} examples/app.ts" --output demo.out ${CLI_FLAGS}` },
    { exec: `${tsNode} examples/summary.ts demo.out` },
    { exec: `${tsNode} src/report/cli.ts report demo.out` },
  ],
});

project.addTask('bindings', {
  description: 'Generate the Python, Java, .NET and Go bindings (source only, no toolchains) into dist/bindings',
  exec: 'jsii-pacmak --code-only --outdir dist/bindings --targets python --targets java --targets dotnet --targets go',
});

project.addTask('bench', {
  description: 'Synthesize 1, 10, 50 and 150 services of each pattern (beside the peer for function) and print resources, bytes, CPU, heap, checks and report time per service',
  exec: `${tsNode} bench/synth.ts`,
  receiveArgs: true,
});

project.synth();
