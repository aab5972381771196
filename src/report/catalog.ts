import { CATALOG_METADATA_KEY } from '../core/catalog';

/** How a cdk-opex service's new versions reach users, as the catalog records it. */
export interface CatalogRollout {
  /** `canary`, `linear`, `all-at-once`, ... */
  readonly type: string;
  readonly percentage?: number;
  readonly intervalMinutes?: number;
  /** Logical id of the construct that rolls out (a CodeDeploy deployment group), when there is one. */
  readonly deploymentGroup?: string;
  /** Logical ids of the alarms that roll a deployment back. */
  readonly rollbackAlarms?: string[];
}

/** A runbook that responds to a service, as the catalog records it. */
export interface CatalogResponse {
  /** Logical id of the SSM document. */
  readonly runbook: string;
  /** Whether an event starts it with no person involved. */
  readonly automatic: boolean;
  /** What starts it, in words. */
  readonly trigger: string;
}

/** A service level objective, as the catalog records it. */
export interface CatalogObjective {
  /** The service it belongs to (standalone objectives only). */
  readonly service?: string;
  readonly target: number;
  readonly windowDays: number;
  /** The burn-rate alerts, in words. */
  readonly alerts: string;
  /** Logical id of the page composite. */
  readonly pageAlarm: string;
}

/** One cdk-opex service of the catalog. */
export interface CatalogService {
  readonly name: string;
  readonly kind: string;
  readonly team?: string;
  readonly path?: string;
  readonly detectionSeconds?: number;
  readonly healthAlarm?: string;
  readonly signalAlarms?: Record<string, string>;
  readonly rollout?: CatalogRollout;
  readonly responses?: CatalogResponse[];
  readonly objectives?: CatalogObjective[];
  /** What the service relies on, with its alarms on each (logical ids). */
  readonly dependencies?: CatalogDependency[];
  /** Logical id of the composite over the backends' health alarms, when the service has several backends. */
  readonly backendsAlarm?: string;
}

/** A resource a service depends on, as the catalog records it. */
export interface CatalogDependency {
  /** Kind of the resource, e.g. `dynamodb`. */
  readonly kind: string;
  /** Name of the dependency in the service's alarm names. */
  readonly name: string;
  /** Logical id of the resource. */
  readonly resource: string;
  /** Logical ids of the service's alarms on it, by signal. */
  readonly alarms?: Record<string, string>;
}

/** The structured catalog cdk-opex writes into each template's `Metadata`. */
export interface Catalog {
  readonly services: CatalogService[];
  readonly kpis: Array<{ service: string; name: string; alarm: string }>;
  /** Objectives not made by a service pattern (a `ServiceLevelObjective` on its own). */
  readonly objectives: CatalogObjective[];
}

/** The catalog of a template, or undefined when it has none. */
export function readCatalog(template: any): Catalog | undefined {
  const raw = template?.Metadata?.[CATALOG_METADATA_KEY];
  if (!raw || typeof raw !== 'object') return undefined;
  const list = <T>(value: unknown): T[] => (Array.isArray(value) ? value as T[] : []);
  return { services: list(raw.services), kpis: list(raw.kpis), objectives: list(raw.objectives) };
}
