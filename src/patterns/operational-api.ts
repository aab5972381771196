import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { OperationalApiProps } from './operational-api-props';
import { OperationalService } from './operational-service';
import { GameDay } from '../resilience/game-day';
import { addGameDays } from '../resilience/pattern-game-days';
import { ApiServiceKind } from '../services/api-kind';

/**
 * An API Gateway REST API stage operable from day one: 5XX, latency and integration
 * latency alarms and a 4XX warning on the stage, access logs and tracing turned on, a
 * health alarm that also reads its backends' (and pages only when they are healthy), a
 * dashboard section, and a diagnostics runbook started when the API turns unhealthy.
 */
export class OperationalApi extends OperationalService {
  /**
   * The service's game days, when `gameDays` is set.
   * @default - none
   */
  public readonly gameDay?: GameDay;
  /** The stage operated. */
  public readonly stage: apigateway.Stage;
  /** The log group the stage's access logs go to. */
  public readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OperationalApiProps) {
    const kind = new ApiServiceKind(props);
    super(scope, id, { ...props, kind });
    this.stage = kind.stage;
    this.accessLogGroup = kind.accessLogGroup;
    this.gameDay = addGameDays(this, props.gameDays);
  }
}
