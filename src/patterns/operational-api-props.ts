import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { OperationalService } from './operational-service';
import { OperationalServiceOptions } from './operational-service-options';

/** Properties of an {@link OperationalApi}. */
export interface OperationalApiProps extends OperationalServiceOptions {
  /**
   * The REST API to operate, defined in this app: its deployment stage is operated.
   * Give exactly one of `restApi` and `stage`.
   * @default - `stage`
   */
  readonly restApi?: apigateway.RestApi;
  /**
   * The REST API stage to operate, defined in this app, without access logs of its own.
   * @default - the deployment stage of `restApi`
   */
  readonly stage?: apigateway.Stage;
  /**
   * Services the API calls (usually OperationalFunctions), in this stack: their health
   * alarms join the API's, and while one is unhealthy the API's health alarm does not page
   * (the backend's does), so one failure pages once.
   * @default - none
   */
  readonly backends?: OperationalService[];
  /**
   * 5XX rate, in percent of requests, at which the errors alarm fires (0 < x <= 100).
   * @default 5
   */
  readonly serverErrorRateThreshold?: number;
  /**
   * 4XX rate, in percent of requests, at which the client-errors warning fires (0 < x <= 100).
   * @default 25
   */
  readonly clientErrorRateThreshold?: number;
  /**
   * p99 latency at which the latency alarm fires.
   * @default Duration.seconds(2)
   */
  readonly latencyThreshold?: Duration;
  /**
   * p99 integration latency (time in the backends) at which the integration-latency alarm fires.
   * @default Duration.seconds(2)
   */
  readonly integrationLatencyThreshold?: Duration;
  /**
   * How long the access logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Turn on X-Ray tracing for the stage.
   * @default true
   */
  readonly tracing?: boolean;
}
