import { Lazy, TagManager } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { IConstruct } from 'constructs';
import { Limits } from '../core/limits';
import { invalidProp } from '../core/validate';

/** Alarm ARNs one pattern can name and stay under EventBridge's pattern size limit (an ARN is ~80 characters). */
const MAX_ALARMS_BY_ARN = 20;

/** ECS stop codes that mean a task died rather than being stopped on purpose. */
export const UNEXPECTED_STOP_CODES = ['EssentialContainerExited', 'TaskFailedToStart', 'SpotInterruption', 'TerminationNotice'];

/**
 * Event patterns for the operational events a runbook responds to. Each is tested
 * against AWS's sample events: it matches its event and not the others.
 */
export class Triggers {
  /** One or more alarms (metric or composite) entering ALARM. */
  public static alarmEntersAlarm(...alarms: cloudwatch.IAlarm[]): events.EventPattern {
    if (alarms.length === 0) invalidProp('Triggers.alarmEntersAlarm', 'alarms', 'name at least one alarm');
    return {
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      resources: alarms.map((a) => a.alarmArn),
      detail: { state: { value: ['ALARM'] } },
    };
  }

  /**
   * Any alarm whose name starts with `prefix` entering ALARM, e.g. every alarm
   * cdk-opex names in a stack (`<stack>-`). Alarm events carry no tags, so name
   * prefixes are how a rule selects alarms it was not given one by one.
   */
  public static alarmsWithPrefixEnterAlarm(prefix: string): events.EventPattern {
    if (!prefix) invalidProp('Triggers.alarmsWithPrefixEnterAlarm', 'prefix', 'must not be empty: it would match every alarm');
    return {
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      detail: { alarmName: events.Match.prefix(prefix), state: { value: ['ALARM'] } },
    };
  }

  /**
   * Any alarm in `scope` tagged `key` = `value` entering ALARM, e.g. every alarm of a
   * service (`service` = `checkout`). Alarm events carry no tags, so the alarms are
   * found when the app is synthesized and named in the pattern by ARN.
   */
  public static alarmsTaggedEnterAlarm(scope: IConstruct, key: string, value: string): events.EventPattern {
    const where = `Triggers.alarmsTaggedEnterAlarm(${scope.node.path})`;
    const arns = Lazy.uncachedList({
      produce: () => {
        const tagged = scope.node.findAll()
          .filter((c): c is cloudwatch.CfnAlarm | cloudwatch.CfnCompositeAlarm =>
            c instanceof cloudwatch.CfnAlarm || c instanceof cloudwatch.CfnCompositeAlarm)
          .filter((alarm) => TagManager.of(alarm)?.tagValues()[key] === value);
        if (tagged.length === 0) invalidProp(where, 'value', `no alarm under ${scope.node.path} is tagged ${key}=${value}`);
        if (tagged.length > MAX_ALARMS_BY_ARN) {
          invalidProp(where, 'value', `${tagged.length} alarms are tagged ${key}=${value}; more than ${MAX_ALARMS_BY_ARN} ARNs would pass `
            + `EventBridge's ${Limits.EVENT_PATTERN_CHARS}-character pattern limit: select them by name prefix instead`);
        }
        return tagged.map((alarm) => alarm.attrArn);
      },
    });
    return {
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      resources: arns,
      detail: { state: { value: ['ALARM'] } },
    };
  }

  /** A deployment of the group failing or being stopped (CodeDeploy then rolls it back). */
  public static deploymentFailed(group: codedeploy.ILambdaDeploymentGroup | codedeploy.IEcsDeploymentGroup): events.EventPattern {
    return {
      source: ['aws.codedeploy'],
      detailType: ['CodeDeploy Deployment State-change Notification'],
      detail: {
        application: [group.application.applicationName],
        deploymentGroup: [group.deploymentGroupName],
        state: ['FAILURE', 'STOP'],
      },
    };
  }

  /**
   * A task of the cluster (or of one service in it) stopping with a stop code that
   * means it died: not a deployment, scale-in or operator stopping it.
   */
  public static ecsTaskStoppedUnexpectedly(cluster: ecs.ICluster, serviceName?: string): events.EventPattern {
    return {
      source: ['aws.ecs'],
      detailType: ['ECS Task State Change'],
      detail: {
        clusterArn: [cluster.clusterArn],
        lastStatus: ['STOPPED'],
        stopCode: UNEXPECTED_STOP_CODES,
        ...(serviceName ? { group: [`service:${serviceName}`] } : {}),
      },
    };
  }

  /** ECS reporting that a deployment of `service` failed (ECS then rolls it back, by circuit breaker or alarm). */
  public static ecsDeploymentFailed(service: ecs.IBaseService): events.EventPattern {
    return {
      source: ['aws.ecs'],
      detailType: ['ECS Deployment State Change'],
      resources: [service.serviceArn],
      detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
    };
  }

  /**
   * An AWS Health event about this account's resources (not a public, region-wide
   * one), optionally for some services only (e.g. `EC2`, `LAMBDA`).
   */
  public static healthEvent(...services: string[]): events.EventPattern {
    return {
      source: ['aws.health'],
      detailType: ['AWS Health Event'],
      detail: {
        eventScopeCode: ['ACCOUNT_SPECIFIC'],
        ...(services.length ? { service: services } : {}),
      },
    };
  }

  /**
   * An FIS experiment of one of these templates (e.g. a game day's) changing state, by
   * default when it ends: completed, stopped or failed.
   */
  public static experimentStateChange(templateIds: string[], statuses: string[] = ['completed', 'stopped', 'failed']): events.EventPattern {
    if (templateIds.length === 0) invalidProp('Triggers.experimentStateChange', 'templateIds', 'name at least one experiment template');
    if (statuses.length === 0) invalidProp('Triggers.experimentStateChange', 'statuses', 'name at least one state');
    return {
      source: ['aws.fis'],
      detailType: ['FIS Experiment State Change'],
      detail: { 'experiment-template-id': templateIds, 'new-state': { status: statuses } },
    };
  }

  private constructor() {}
}
