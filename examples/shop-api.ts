import { Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** The functions behind the shop's API, each called through its `live` alias so the canary judges real traffic. */
export interface ShopApiBackends {
  readonly checkout: lambda.IFunction;
  readonly catalog: lambda.IFunction;
}

/**
 * The shop's REST API: POST /checkout, GET /products and GET /products/{id}, every request validated.
 * Stage logging, access logs and tracing are set by OperationalApi.
 */
export function shopApi(scope: Construct, backends: ShopApiBackends): apigateway.RestApi {
  const api = new apigateway.RestApi(scope, 'Api', {
    restApiName: 'shop',
    description: 'The shop\'s public API: checkout and the product catalog',
    endpointTypes: [apigateway.EndpointType.REGIONAL],
    // The account-wide role API Gateway writes execution logs with (OperationalApi turns them on at ERROR).
    cloudWatchRole: true,
    // Below the functions' reserved concurrency (checkout 100, catalog 50 at ~100 ms each): a surge is turned away
    // with 429s at the door instead of throttling the functions behind it.
    deployOptions: { stageName: 'prod', throttlingRateLimit: 500, throttlingBurstLimit: 1000 },
  });
  const requestValidator = api.addRequestValidator('ValidateRequests', { validateRequestBody: true, validateRequestParameters: true });
  const checkout = new apigateway.LambdaIntegration(backends.checkout);
  const catalog = new apigateway.LambdaIntegration(backends.catalog);
  const placeOrder = api.root.addResource('checkout').addMethod('POST', checkout, { requestValidator });
  const products = api.root.addResource('products');
  const browse = [
    products.addMethod('GET', catalog, { requestValidator }),
    products.addResource('{id}').addMethod('GET', catalog, { requestValidator, requestParameters: { 'method.request.path.id': true } }),
  ];

  const noAuthorizer = 'Checkout is called by signed-in shoppers; the shop\'s identity provider (its Cognito user pool or a '
    + 'JWT authorizer) is not part of this demo, and a deployed shop attaches its authorizer to this method.';
  const anonymous = 'Browsing the catalog is anonymous by design: anyone may list and read products, which are public.';
  for (const [method, reason] of [[placeOrder, noAuthorizer], ...browse.map((m) => [m, anonymous])] as [apigateway.Method, string][]) {
    Validations.of(method).acknowledge(
      { id: 'AwsSolutions-APIG4', reason },
      { id: 'AwsSolutions-COG4', reason },
      // The Lambda permissions of the method.
      {
        id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
        reason: 'Each permission is scoped by SourceArn to this API\'s stage, method and path; the rule reads only literal '
          + 'ARNs or references, not the Fn::Join CDK builds from the API\'s id and the partition.',
      },
    );
  }
  const noClientCertificate = 'Every integration is a Lambda proxy integration invoked by API Gateway with IAM; a client '
    + 'certificate only lets an HTTP backend authenticate API Gateway, and there is none.';
  Validations.of(api.deploymentStage).acknowledge(
    { id: 'NIST.800.53.R5-APIGWSSLEnabled', reason: noClientCertificate },
    { id: 'HIPAA.Security-APIGWSSLEnabled', reason: noClientCertificate },
    { id: 'PCI.DSS.321-APIGWSSLEnabled', reason: noClientCertificate },
  );

  Validations.of(api.node.findChild('CloudWatchRole')).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason: 'API Gateway writes execution logs with one account-wide role; AWS\'s managed policy for it grants only the '
      + 'CloudWatch Logs actions that logging needs, and no data access',
  });
  return api;
}
