import { IConstruct } from 'constructs';
import { operationsStack } from './operations-stack';

/** Prefix of the names of every alarm cdk-opex creates in `scope`'s stack: `<stack name>-`. */
export function alarmNamePrefix(scope: IConstruct): string {
  return `${operationsStack(scope).stackName}-`;
}
