import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { OperationalFunctionProps } from './operational-function-props';
import { OperationalService } from './operational-service';
import { GameDay } from '../resilience/game-day';
import { addGameDays } from '../resilience/pattern-game-days';
import { LambdaServiceKind } from '../services/lambda-kind';

/**
 * A Lambda function operable from day one: golden-signal alarms and a composite
 * health alarm on a `live` alias, a canary rollout that rolls back on those alarms,
 * a dashboard section, and a diagnostics runbook started when the service turns
 * unhealthy. Shared pieces come from the stack's {@link OperationsHub}.
 */
export class OperationalFunction extends OperationalService {
  /**
   * The service's game days, when `gameDays` is set.
   * @default - none
   */
  public readonly gameDay?: GameDay;
  /** The alias that serves traffic; its version is what CodeDeploy rolls out. */
  public readonly alias: lambda.Alias;
  /** The deployment group that rolls out new versions and rolls back on alarm. */
  public readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;

  constructor(scope: Construct, id: string, props: OperationalFunctionProps) {
    const kind = new LambdaServiceKind(props);
    super(scope, id, { ...props, kind });
    this.alias = kind.alias;
    this.deploymentGroup = kind.deploymentGroup;
    this.gameDay = addGameDays(this, props.gameDays);
  }
}
