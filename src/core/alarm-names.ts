import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Prefix of the names of every alarm cdk-opex creates in `scope`'s stack: `<stack name>-`. */
export function alarmNamePrefix(scope: IConstruct): string {
  return `${Stack.of(scope).stackName}-`;
}
