// Assembles the README's TypeScript snippets into one module, test/readme/snippets.generated.ts,
// so `npm test` type-checks them and a test synthesizes them with the checks the README attaches.
// Run by the test task before tsc; CI fails when the committed file is stale.
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
export const README = path.join(ROOT, 'README.md');
export const GENERATED = path.join(ROOT, 'test', 'readme', 'snippets.generated.ts');

/** The package as the README imports it, and where the generated module finds it. */
const PACKAGE = 'cdk-opex';
const PACKAGE_SOURCE = '../../src';

/**
 * What the snippets take as given after the Quick start: the reader's own resources.
 * Imported resources (by ARN) add nothing to the template, so only cdk-opex's and the
 * Quick start's resources are checked.
 */
const GIVEN = `
// --- given by the reader: their own resources (not in the README) ---
const catalogFn = new lambda.Function(stack, 'CatalogFn', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  timeout: Duration.seconds(5),
  memorySize: 256,
  reservedConcurrentExecutions: 50,
});
for (const id of READERS_FUNCTION_FINDINGS) Validations.of(catalogFn).acknowledge({ id, reason: 'The reader\\'s own function, as in the Quick start.' });
const pagerTopic = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager');
const ordersPlaced = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'OrdersPlaced', statistic: 'Sum', period: Duration.minutes(1) });
const cluster = ecs.Cluster.fromClusterArn(stack, 'Cluster', 'arn:aws:ecs:us-east-1:123456789012:cluster/shop');
const checkoutService = ecs.FargateService.fromFargateServiceAttributes(stack, 'CheckoutService', {
  serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/shop/checkout', cluster,
});
const ordersFn = new lambda.Function(stack, 'OrdersFn', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 201 });'),
  timeout: Duration.seconds(5),
  memorySize: 256,
  reservedConcurrentExecutions: 50,
});
for (const id of READERS_FUNCTION_FINDINGS) Validations.of(ordersFn).acknowledge({ id, reason: 'The reader\\'s own function, as in the Quick start.' });
const ordersTable = new dynamodb.Table(stack, 'OrdersTable', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
});
for (const id of READERS_TABLE_FINDINGS) Validations.of(ordersTable).acknowledge({ id, reason: 'The reader\\'s own table: its key, backup plan and capacity mode are theirs to choose.' });
const shopApi = new apigateway.RestApi(stack, 'Api', { restApiName: 'shop-api', cloudWatchRole: true });
for (const id of READERS_API_FINDINGS) Validations.of(shopApi).acknowledge({ id, reason: 'The reader\\'s own API and its methods: authorization, request validation, WAF, client certificate, throttling and the invoke permissions API Gateway adds are theirs.' });
// --- end of what is given ---
`;

/** Imports the given resources need, merged with the snippets' own. */
const GIVEN_IMPORTS = [
  "import { Duration, Validations } from 'aws-cdk-lib';",
  "import * as apigateway from 'aws-cdk-lib/aws-apigateway';",
  "import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';",
  "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';",
  "import * as ecs from 'aws-cdk-lib/aws-ecs';",
  "import * as lambda from 'aws-cdk-lib/aws-lambda';",
  "import * as sns from 'aws-cdk-lib/aws-sns';",
];

/** The ```ts blocks of a Markdown text, in order. */
export function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

interface ImportSet {
  named: Map<string, Set<string>>;
  namespaces: Map<string, string>; // alias -> module
}

function addImport(imports: ImportSet, line: string): void {
  const named = line.match(/^import\s*\{([^}]*)\}\s*from\s*'([^']+)';?\s*$/);
  const namespace = line.match(/^import\s*\*\s*as\s+(\w+)\s+from\s*'([^']+)';?\s*$/);
  if (named) {
    const names = imports.named.get(named[2]) ?? new Set<string>();
    named[1].split(',').map((n) => n.trim()).filter(Boolean).forEach((n) => names.add(n));
    imports.named.set(named[2], names);
  } else if (namespace) {
    const existing = imports.namespaces.get(namespace[1]);
    if (existing && existing !== namespace[2]) throw new Error(`README imports '${namespace[1]}' from two modules`);
    imports.namespaces.set(namespace[1], namespace[2]);
  } else {
    throw new Error(`README import the assembler cannot read (write it on one line): ${line}`);
  }
}

function renderImports(imports: ImportSet): string[] {
  const source = (m: string) => (m === PACKAGE ? PACKAGE_SOURCE : m);
  const lines = [...imports.namespaces.entries()].sort(([a], [b]) => a.localeCompare(b))
    .map(([alias, m]) => `import * as ${alias} from '${source(m)}';`);
  for (const [m, names] of [...imports.named.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`import { ${[...names].sort().join(', ')} } from '${source(m)}';`);
  }
  return lines;
}

/** Names a snippet declares at its top level (`const x = ...`). */
function declaredNames(code: string): string[] {
  return [...code.matchAll(/^(?:const|let)\s+(\w+)\s*=/gm)].map((m) => m[1]);
}

/**
 * The README's snippets as one module exporting `readmeApp()`, which runs them in order in one
 * app and returns everything they declare (so none is unused, and tests can look at them).
 */
export function assemble(markdown: string): string {
  const blocks = tsBlocks(markdown);
  if (blocks.length === 0) throw new Error('README.md has no ```ts snippet');
  const imports: ImportSet = { named: new Map(), namespaces: new Map() };
  GIVEN_IMPORTS.forEach((line) => addImport(imports, line));
  const bodies = blocks.map((block, i) => {
    const body: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('import ')) addImport(imports, line);
      else body.push(line);
    }
    return `  // README snippet ${i + 1}\n${body.map((l) => (l ? `  ${l}` : l)).join('\n').trimEnd()}`;
  });
  const given = GIVEN.trim().split('\n').map((l) => `  ${l}`).join('\n');
  const names = [...new Set(declaredNames([...blocks, GIVEN].join('\n')))];
  if (!names.includes('app')) throw new Error('the README\'s first snippet must declare `const app`');
  return [
    '// Generated from README.md by scripts/readme-snippets.ts: do not edit; `npm test` regenerates it.',
    '/* eslint-disable */',
    ...renderImports(imports),
    '',
    '/** What the Quick start acknowledges on its function, for the reader\'s other function. */',
    'const READERS_FUNCTION_FINDINGS = [',
    "  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',",
    "  'cdk-validator-cfnguard::lambda_inside_vpc_check', 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC',",
    "  'PCI.DSS.321-LambdaInsideVPC', 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ', 'Serverless-LambdaDLQ',",
    '];',
    '/** Findings on the reader\'s own table and API, which are theirs to settle. */',
    'const READERS_TABLE_FINDINGS = [',
    "  'cdk-validator-cfnguard::dynamodb_table_encrypted_kms_check', 'NIST.800.53.R5-DynamoDBInBackupPlan', 'HIPAA.Security-DynamoDBInBackupPlan',",
    "  'NIST.800.53.R5-DynamoDBAutoScalingEnabled', 'HIPAA.Security-DynamoDBAutoScalingEnabled',",
    '];',
    'const READERS_API_FINDINGS = [',
    "  'AwsSolutions-APIG2', 'AwsSolutions-APIG3', 'AwsSolutions-APIG4', 'AwsSolutions-COG4',",
    "  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',",
    "  'NIST.800.53.R5-APIGWAssociatedWithWAF', 'PCI.DSS.321-APIGWAssociatedWithWAF', 'NIST.800.53.R5-APIGWSSLEnabled',",
    "  'HIPAA.Security-APIGWSSLEnabled', 'PCI.DSS.321-APIGWSSLEnabled', 'Serverless-APIGWDefaultThrottling',",
    "  'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',",
    '];',
    '',
    '/** Runs every snippet of the README, in order, in one app (the Quick start\'s), and returns it. */',
    'export function readmeApp() {',
    bodies[0],
    given,
    ...bodies.slice(1),
    `  return { ${names.join(', ')} };`,
    '}',
    '',
  ].join('\n');
}

if (require.main === module) {
  const text = assemble(fs.readFileSync(README, 'utf8'));
  fs.mkdirSync(path.dirname(GENERATED), { recursive: true });
  if (!fs.existsSync(GENERATED) || fs.readFileSync(GENERATED, 'utf8') !== text) fs.writeFileSync(GENERATED, text);
}
