export { OperationsLog, OperationsLogTarget } from './operations-log';
export type { OperationsLogProps } from './operations-log';
export type { DeploymentTarget, LoggedService } from './operations-metrics';
export { OperationsLogAccess } from './operations-log-access';
export type { OperationsLogAccessProps } from './operations-log-access';
export { OperationsEventSource, OperationsMetric, OperationsDimension } from './operations-metrics';
export { IncidentTimeline } from './incident-timeline';
export type { IncidentTimelineProps, TimelineService } from './incident-timeline';
