import * as fs from 'fs';
import * as path from 'path';

/**
 * AWS's own service models (aws-sdk v2's `apis/<prefix>-<version>.min.json`, a dev
 * dependency): the operations each service has and the input members each takes.
 *
 * Assumptions, stated once:
 * - An Automation step's `Service` is the boto3 client name (`lambda`, `ecs`, `logs`,
 *   `application-autoscaling`); it is found in aws-sdk's metadata.json by identifier
 *   (dashes dropped) or by file prefix (boto3 `logs` is aws-sdk `cloudwatchlogs`, prefix `logs`).
 * - `Api` is the operation name exactly as in the model (PascalCase, `DescribeServices`).
 * - Input names are the model's member names exactly, case included: Automation hands the
 *   inputs to boto3, which validates them case-sensitively (`cluster` for ECS, `FunctionName`
 *   for Lambda); `Cluster` for ECS is an unknown parameter.
 * - The newest model version of a service is the one Automation calls.
 */
const APIS = path.join(path.dirname(require.resolve('aws-sdk/package.json')), 'apis');

interface Shape { type?: string; shape?: string; members?: Record<string, Shape>; required?: string[]; member?: Shape; value?: Shape }
interface Model { operations: Record<string, { input?: Shape }>; shapes: Record<string, Shape> }

const models = new Map<string, Model | undefined>();

/** The newest model of a service named as boto3 names it, or undefined if AWS has no such service. */
export function serviceModel(service: string): Model | undefined {
  if (!models.has(service)) {
    const metadata = JSON.parse(fs.readFileSync(path.join(APIS, 'metadata.json'), 'utf8')) as Record<string, { prefix?: string }>;
    const id = service.replace(/-/g, '');
    const entry = Object.entries(metadata).find(([key]) => key === id) ?? Object.entries(metadata).find(([, m]) => m.prefix === service);
    const prefix = entry ? entry[1].prefix ?? entry[0] : undefined;
    const files = prefix ? fs.readdirSync(APIS).filter((f) => new RegExp(`^${prefix}-\\d{4}-\\d{2}-\\d{2}\\.min\\.json$`).test(f)).sort() : [];
    models.set(service, files.length ? JSON.parse(fs.readFileSync(path.join(APIS, files[files.length - 1]), 'utf8')) : undefined);
  }
  return models.get(service);
}

/** Inputs of an API step that are Automation's, not the API's. */
const STEP_KEYS = new Set(['Service', 'Api', 'PropertySelector', 'DesiredValues']);

/** What is wrong with one rendered API step (`aws:executeAwsApi` and its kin) against AWS's models; empty when nothing. */
export function apiStepProblems(step: { name: string; inputs: Record<string, unknown> }): string[] {
  const { Service: service, Api: api } = step.inputs as { Service: string; Api: string };
  const model = serviceModel(service);
  if (!model) return [`step ${step.name}: AWS has no service '${service}'`];
  const operation = model.operations[api];
  if (!operation) return [`step ${step.name}: ${service} has no API '${api}'`];
  const inputs = Object.fromEntries(Object.entries(step.inputs).filter(([k]) => !STEP_KEYS.has(k)));
  return valueProblems(model, operation.input ?? { type: 'structure', members: {} }, inputs, `step ${step.name}: ${service}.${api}`);
}

function resolve(model: Model, shape: Shape): Shape {
  return shape.shape ? resolve(model, { ...model.shapes[shape.shape], ...withoutRef(shape) }) : shape;
}

function withoutRef(shape: Shape): Shape {
  const { shape: _ref, ...rest } = shape;
  return rest;
}

/** Member names and nesting checked; values that are `{{ references }}` stand for any value. */
function valueProblems(model: Model, declared: Shape, value: unknown, where: string): string[] {
  if (typeof value === 'string' && /\{\{.*\}\}/.test(value)) return [];
  const shape = resolve(model, declared);
  const type = shape.type ?? (shape.members ? 'structure' : undefined);
  if (type === 'structure' && value && typeof value === 'object' && !Array.isArray(value)) {
    const members = shape.members ?? {};
    const given = value as Record<string, unknown>;
    return [
      ...Object.keys(given).filter((k) => !(k in members))
        .map((k) => `${where}: unknown input '${k}' (it takes ${Object.keys(members).join(', ') || 'none'})`),
      ...(shape.required ?? []).filter((k) => !(k in given)).map((k) => `${where}: required input '${k}' is missing`),
      ...Object.entries(given).filter(([k]) => k in members).flatMap(([k, v]) => valueProblems(model, members[k], v, `${where}.${k}`)),
    ];
  }
  if (type === 'list' && Array.isArray(value)) return value.flatMap((v, i) => valueProblems(model, shape.member ?? {}, v, `${where}[${i}]`));
  if (type === 'map' && value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => valueProblems(model, shape.value ?? {}, v, `${where}.${k}`));
  }
  return [];
}

/** Automation actions whose inputs name an AWS API. */
export const API_ACTIONS = new Set(['aws:executeAwsApi', 'aws:waitForAwsResourceProperty', 'aws:assertAwsResourceProperty']);
