import { investigationPlaybooks, operationsMetrics, postIncidentAnalysis } from './learning-rows';
import { ReadinessDeployment, ReadinessRunbook, WellArchitectedRow } from './model';
import { AlarmFact } from '../model/alarms';
import { experimentRuns } from '../model/game-days';
import { CfnResourceJson, cfnText, referencedIds, resourcesOfType } from '../model/template';

/** Status values of a Well-Architected row. */
export const MET = 'met';
export const NOT_MET = 'not met';
export const NOT_APPLICABLE = 'not applicable';

/** The Well-Architected best practices the report covers, in report order. */
export const BEST_PRACTICES: ReadonlyArray<{ id: string; title: string }> = [
  { id: 'OPS02-BP01', title: 'Resources have identified owners' },
  { id: 'OPS04-BP02', title: 'Implement application telemetry' },
  { id: 'OPS04-BP05', title: 'Implement distributed tracing' },
  { id: 'OPS06-BP03', title: 'Employ safe deployment practices' },
  { id: 'OPS06-BP04', title: 'Automate testing and rollback' },
  { id: 'OPS07-BP03', title: 'Use runbooks to perform procedures' },
  { id: 'OPS07-BP04', title: 'Use playbooks to investigate issues' },
  { id: 'OPS08-BP04', title: 'Create actionable alerts' },
  { id: 'OPS08-BP05', title: 'Create dashboards' },
  { id: 'OPS09-BP01', title: 'Measure operations goals and KPIs with metrics' },
  { id: 'OPS10-BP02', title: 'Have a process per alert' },
  { id: 'OPS10-BP07', title: 'Automate responses to events' },
  { id: 'OPS11-BP02', title: 'Perform post-incident analysis' },
  { id: 'REL12-BP05', title: 'Conduct game days regularly' },
];

/** What the rows are decided from. */
export interface ServiceFacts {
  readonly id: string;
  readonly resource?: CfnResourceJson;
  readonly kind: string;
  readonly owner: { service?: string; team?: string };
  readonly alarms: AlarmFact[];
  readonly deployment: ReadinessDeployment;
  readonly runbooks: ReadinessRunbook[];
  readonly gameDays: string[];
  readonly dashboards: string[];
  readonly detectionSeconds?: number;
}

type Decision = Pick<WellArchitectedRow, 'status' | 'evidence' | 'reason'>;

/** One row per best practice, met / not met / not applicable, with evidence. */
export function wellArchitectedRows(ctx: { resources: Record<string, CfnResourceJson> }, f: ServiceFacts): WellArchitectedRow[] {
  const learning = {
    pagingAlarmNames: alertingAlarms(f).map((a) => a.alarmName).filter((n): n is string => n !== undefined),
    automaticRunbooks: [...new Set(f.runbooks.filter((r) => r.automatic && r.startedBy.length > 0).map((r) => r.document))],
  };
  const decisions: Record<string, Decision> = {
    'OPS02-BP01': owners(f),
    'OPS04-BP02': telemetry(ctx.resources, f),
    'OPS04-BP05': tracing(ctx.resources, f),
    'OPS06-BP03': safeDeployment(f),
    'OPS06-BP04': rollback(f),
    'OPS07-BP03': runbooks(f),
    'OPS07-BP04': investigationPlaybooks(learning),
    'OPS08-BP04': actionableAlerts(f),
    'OPS08-BP05': dashboards(f),
    'OPS09-BP01': operationsMetrics(ctx.resources),
    'OPS10-BP02': processPerAlert(f),
    'OPS10-BP07': automatedResponse(f),
    'OPS11-BP02': postIncidentAnalysis(ctx.resources, learning),
    'REL12-BP05': gameDays(ctx.resources, f),
  };
  return BEST_PRACTICES.map((bp) => ({ id: bp.id, title: bp.title, ...decisions[bp.id] }));
}

const met = (evidence: string[], reason: string): Decision => ({ status: MET, evidence, reason });
const notMet = (evidence: string[], reason: string): Decision => ({ status: NOT_MET, evidence, reason });
const notApplicable = (reason: string): Decision => ({ status: NOT_APPLICABLE, evidence: [], reason });

function owners(f: ServiceFacts): Decision {
  if (f.owner.team) return met([f.id], `owned by team ${f.owner.team}${f.owner.service ? `, service ${f.owner.service}` : ''}`);
  return notMet([f.id], `no team tag${f.owner.service ? '' : ' (nor service tag)'}: nobody is named to answer its alarms`);
}

function telemetry(resources: Record<string, CfnResourceJson>, f: ServiceFacts): Decision {
  const metricAlarms = f.alarms.filter((a) => a.alarmType !== 'composite').map((a) => a.id);
  const logs = logGroupOf(resources, f);
  const evidence = [...metricAlarms, ...(logs?.id ? [logs.id] : [])];
  if (metricAlarms.length === 0) return notMet(evidence, 'no alarm watches its metrics');
  if (logs && logs.retentionDays === undefined) return notMet(evidence, `${metricAlarms.length} alarm(s) on its metrics, but log group ${logs.id} keeps logs forever (no retention)`);
  const logText = logs ? `; logs kept ${logs.retentionDays} days in ${logs.id}` : '';
  return met(evidence, `${metricAlarms.length} alarm(s) on its metrics${logText}`);
}

/** The service's log group, when the template names one. */
function logGroupOf(resources: Record<string, CfnResourceJson>, f: ServiceFacts): { id?: string; retentionDays?: number } | undefined {
  const props = f.resource?.Properties ?? {};
  const retentionOf = (id: string) => ({ id, retentionDays: resources[id]?.Properties?.RetentionInDays as number | undefined });
  if (f.resource?.Type === 'AWS::Lambda::Function') {
    const ref = [...referencedIds(props.LoggingConfig?.LogGroup)].find((id) => resources[id]?.Type === 'AWS::Logs::LogGroup');
    if (ref) return retentionOf(ref);
    const defaultName = `/aws/lambda/<${f.id}>`;
    for (const [id, r] of [...resourcesOfType(resources, 'AWS::Logs::LogGroup'), ...resourcesOfType(resources, 'Custom::LogRetention')]) {
      if (r.Type === 'AWS::Logs::LogGroup' && cfnText(r.Properties?.LogGroupName) === defaultName) return retentionOf(id);
      if (r.Type === 'Custom::LogRetention' && cfnText(r.Properties?.LogGroupName) === defaultName) {
        return { id, retentionDays: r.Properties?.RetentionInDays === undefined ? undefined : Number(r.Properties.RetentionInDays) };
      }
    }
  }
  if (f.resource?.Type === 'AWS::ECS::Service') {
    const taskDef = [...referencedIds(props.TaskDefinition)][0];
    const containers: any[] = resources[taskDef]?.Properties?.ContainerDefinitions ?? [];
    const ref = [...referencedIds(containers.map((c) => c?.LogConfiguration?.Options?.['awslogs-group']))]
      .find((id) => resources[id]?.Type === 'AWS::Logs::LogGroup');
    if (ref) return retentionOf(ref);
  }
  return undefined;
}

function tracing(resources: Record<string, CfnResourceJson>, f: ServiceFacts): Decision {
  const r = f.resource;
  const props = r?.Properties ?? {};
  switch (r?.Type) {
    case 'AWS::Lambda::Function':
      return props.TracingConfig?.Mode === 'Active'
        ? met([f.id], 'X-Ray active tracing is on')
        : notMet([f.id], 'X-Ray tracing is off (TracingConfig.Mode is not Active)');
    case 'AWS::ApiGateway::Stage':
      return props.TracingEnabled === true ? met([f.id], 'X-Ray tracing is on for the stage') : notMet([f.id], 'X-Ray tracing is off for the stage');
    case 'AWS::ECS::Service': {
      const taskDef = [...referencedIds(props.TaskDefinition)][0];
      const images: string[] = (resources[taskDef]?.Properties?.ContainerDefinitions ?? []).map((c: any) => cfnText(c?.Image));
      return images.some((i) => /xray|otel/i.test(i))
        ? met([taskDef], 'a tracing sidecar (X-Ray or OpenTelemetry collector) runs in the task')
        : notMet(taskDef ? [taskDef] : [f.id], 'no X-Ray or OpenTelemetry sidecar in the task definition');
    }
    default:
      return notApplicable(`${r?.Type ?? f.kind} has no tracing setting of its own; trace its callers`);
  }
}

function safeDeployment(f: ServiceFacts): Decision {
  const d = f.deployment;
  if (!d.applicable) return notApplicable('no code is deployed to it');
  const evidence = d.deploymentGroup ? [d.deploymentGroup] : [f.id];
  const strategy = d.strategy ?? d.rolloutType;
  if (['canary', 'linear', 'blue-green'].includes(d.rolloutType) || d.circuitBreaker) return met(evidence, `rolls out ${strategy}`);
  return notMet(evidence, `rolls out ${strategy}: every user gets a new version at once`);
}

function rollback(f: ServiceFacts): Decision {
  const d = f.deployment;
  if (!d.applicable) return notApplicable('no code is deployed to it');
  if (f.resource?.Type === 'AWS::ApiGateway::Stage' || f.resource?.Type === 'AWS::ApiGatewayV2::Stage') {
    return notApplicable('API Gateway cannot roll a stage back on alarm; roll back the integrations behind it');
  }
  if (d.rollbackOnAlarm) {
    return met([...(d.deploymentGroup ? [d.deploymentGroup] : [f.id]), ...d.rollbackAlarms],
      `a deployment rolls back when one of ${d.rollbackAlarms.length} alarm(s) fires${d.circuitBreaker ? ', or when its tasks fail to start' : ''}`);
  }
  if (d.circuitBreaker) return met([f.id], 'the circuit breaker rolls back a deployment whose tasks fail to start (no alarm judges it)');
  return notMet(d.deploymentGroup ? [d.deploymentGroup] : [f.id], d.deploymentGroup
    ? 'the deployment group does not stop and roll back on alarm'
    : 'no deployment watches alarms to roll back');
}

function runbooks(f: ServiceFacts): Decision {
  if (f.runbooks.length === 0) return notMet([], 'no SSM Automation runbook is linked to it');
  const docs = [...new Set(f.runbooks.map((r) => r.document))];
  return met(docs, `${docs.length} runbook(s)`);
}

/** Alarms that tell a person: they page someone, or open a ticket (an OpsItem). */
function alertingAlarms(f: ServiceFacts): AlarmFact[] {
  return f.alarms.filter((a) => a.actions.some((x) => x.effect === 'page' || x.effect === 'ticket'));
}

function actionableAlerts(f: ServiceFacts): Decision {
  const paging = alertingAlarms(f);
  if (paging.length === 0) {
    return notMet(f.alarms.map((a) => a.id), f.alarms.length ? `${f.alarms.length} alarm(s), none pages anyone or opens a ticket` : 'no alarm, so no alert');
  }
  const within = f.detectionSeconds !== undefined ? `; a total outage pages within ${f.detectionSeconds} s` : '';
  return met(paging.map((a) => a.id), `${paging.length} alarm(s) page someone or open a ticket${within}`);
}

function dashboards(f: ServiceFacts): Decision {
  if (f.dashboards.length) return met(f.dashboards, `on ${f.dashboards.length} dashboard(s)`);
  return notMet([], 'no dashboard shows its metrics or alarms');
}

function processPerAlert(f: ServiceFacts): Decision {
  const paging = alertingAlarms(f);
  if (paging.length === 0) return notMet([], 'no alert to attach a process to');
  const undescribed = paging.filter((a) => !a.resource.Properties?.AlarmDescription).map((a) => a.id);
  const tracked = paging.some((a) => a.actions.some((x) => x.effect === 'ticket' || /^Incident Manager/.test(x.text)));
  const evidence = [...paging.map((a) => a.id), ...new Set(f.runbooks.map((r) => r.document))];
  if (undescribed.length) return notMet(undescribed, `alarm(s) without a description of what to do: ${undescribed.join(', ')}`);
  if (!tracked && f.runbooks.length === 0) return notMet(evidence, 'alerts are described, but no runbook, OpsItem or incident follows them');
  const how = [tracked ? 'an OpsItem or incident' : '', f.runbooks.length ? `${f.runbooks.length} runbook(s)` : ''].filter(Boolean).join(' and ');
  return met(evidence, `every alert says what to do; ${how} follow`);
}

function automatedResponse(f: ServiceFacts): Decision {
  const started = f.runbooks.filter((r) => r.automatic);
  const automating = f.alarms.filter((a) => a.actions.some((x) => x.effect === 'automation')).map((a) => a.id);
  if (started.length || automating.length) {
    const evidence = [...started.flatMap((r) => (r.rule ? [r.rule, r.document] : [r.document])), ...automating];
    return met([...new Set(evidence)], started.length ? `${started[0].document} starts on its own: ${started[0].trigger}` : 'an alarm action automates the response');
  }
  return notMet([], 'no runbook or action starts on its own when an alarm fires');
}

/** Kinds FIS has no fault action for: their game days run on the services behind them. */
const NO_FIS_FAULTS: Record<string, string> = {
  'AWS::SQS::Queue': 'FIS has no fault action for SQS queues; run game days on their consumers',
  'AWS::ApiGateway::Stage': 'FIS has no fault action for API Gateway; run game days on the integrations behind it',
  'AWS::ApiGatewayV2::Stage': 'FIS has no fault action for API Gateway; run game days on the integrations behind it',
};

function gameDays(resources: Record<string, CfnResourceJson>, f: ServiceFacts): Decision {
  const noFaults = f.resource ? NO_FIS_FAULTS[f.resource.Type] : undefined;
  if (noFaults && f.gameDays.length === 0) return notApplicable(noFaults);
  if (f.gameDays.length) {
    const runs = experimentRuns(resources);
    const schedules = [...new Set(f.gameDays.flatMap((id) => runs.get(id)?.schedules ?? []))];
    const when = schedules.length ? `scheduled (${schedules.join(', ')})` : 'started by an operator (no schedule)';
    return met(f.gameDays, `${f.gameDays.length} FIS experiment template(s) inject faults into it, ${when}`);
  }
  return notMet([], 'no game day yet: no FIS experiment template targets it');
}

