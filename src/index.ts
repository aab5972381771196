export * from './core/limits';
export * from './hub/operations-hub';
export * from './deployments/rollout-strategy';
export * from './runbooks/runbook';
export * from './runbooks/step';
export * from './runbooks/ssm-automation-target';
export * from './runbooks/triggers';
export * from './patterns/operational-function';
