import { Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { matchingString } from './validate';

/** Tag keys that say who owns a resource (Well-Architected OPS02-BP01). */
export const OWNERSHIP_TAGS = {
  service: 'service',
  team: 'team',
};

/**
 * Tag of an SNS topic nobody is paged from (e.g. the OperationsHub's signal topic):
 * the readiness report and OPEX-AlarmHasRunbook do not count a notification to it as a page.
 */
export const NON_PAGING_TAG = { key: 'cdk-opex:pages', value: 'false' };

/**
 * A service or team name: it goes into alarm names, dashboard titles and tags,
 * so it must be a literal of characters all of them accept.
 */
export function ownershipName(scope: IConstruct, prop: string, value: string): string {
  return matchingString(scope, prop, value, /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    '1-64 letters, digits, - or _, starting with a letter or digit');
}

/** Tags everything under each of `scopes` with its service and, when known, its team. */
export function tagOwnership(scopes: IConstruct[], serviceName: string, team?: string): void {
  for (const scope of scopes) {
    Tags.of(scope).add(OWNERSHIP_TAGS.service, serviceName);
    if (team) Tags.of(scope).add(OWNERSHIP_TAGS.team, team);
  }
}
