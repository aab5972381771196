import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { modelOf, viewOf } from '../graph';

/** Kinds FIS injects faults into directly. */
const FAULTABLE_TYPES = ['AWS::Lambda::Function', 'AWS::ECS::Service'];

/**
 * An operated service (a Lambda function or ECS service with an alarm on it) has a game
 * day: an FIS experiment template in its stack targets it (references it in its
 * targets). Alarms and runbooks promise a detection time and a response; only an
 * injected fault shows they keep the promise.
 * @param node the CfnResource to check
 */
export function OperatedServiceHasGameDay(node: CfnResource): NagRuleCompliance {
  const view = viewOf(node);
  if (!FAULTABLE_TYPES.includes(view.type)) return NagRuleCompliance.NOT_APPLICABLE;
  const model = modelOf(node);
  if (model.alarmsOn(view.logicalId).length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const targeted = model.idsOfType('AWS::FIS::ExperimentTemplate')
    .some((t) => Object.values(model.resource(t)?.Properties?.Targets ?? {}).some((target) => JSON.stringify(target).includes(`"${view.logicalId}"`)));
  return targeted ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
