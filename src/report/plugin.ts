import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import { OperationalReadiness } from './model';
import { reportFromAssembly, reportFromTemplates, writeReport, REPORT_BASENAME } from './write';

/** Properties of a {@link ReadinessReport}. */
export interface ReadinessReportProps {
  /**
   * Directory the report files are written to.
   * @default - the cloud assembly directory (where the templates are; `cdk.out`)
   */
  readonly outdir?: string;
}

/**
 * Writes the operational readiness report (opex-readiness.json, .md and .html) into the
 * cloud assembly on every synth. It reads the synthesized templates only, so it works
 * for any app; it never fails synth (its findings are in the report).
 *
 *   Validations.of(app).addPlugins(new ReadinessReport());
 */
export class ReadinessReport implements IPolicyValidationPlugin {
  /** The readiness report of a synthesized cloud assembly directory (`cdk.out`). */
  public static fromAssembly(assemblyDir: string): OperationalReadiness {
    return reportFromAssembly(assemblyDir);
  }

  /**
   * Writes opex-readiness.json, .md and .html for a cloud assembly; returns the files written.
   * @param outdir where to write them, by default the assembly directory
   */
  public static writeFiles(assemblyDir: string, outdir?: string): string[] {
    return writeReport(outdir ?? assemblyDir, reportFromAssembly(assemblyDir));
  }

  public readonly name: string = 'cdk-opex-readiness-report';
  private readonly outdir?: string;

  constructor(props: ReadinessReportProps = {}) {
    this.outdir = props.outdir;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // stackTemplates arrived after aws-cdk-lib 2.257 (our peer floor): fall back to templatePaths.
    const stackTemplates = context.stackTemplates ?? [];
    const stacks = stackTemplates.length
      ? stackTemplates.map((s) => ({ file: s.templatePath, stackName: stackName(context, s.stackConstructPath, s.templatePath) }))
      : context.templatePaths.map((file) => ({ file, stackName: path.basename(file).replace(/\.template\.json$/, '') }));
    if (stacks.length === 0) return { success: true, violations: [] };
    const root = this.outdir ?? assemblyRoot(stacks[0].file);
    const written = writeReport(root, reportFromTemplates(stacks, root));
    return { success: true, violations: [], metadata: { report: written.find((f) => f.endsWith(`${REPORT_BASENAME}.html`)) ?? root } };
  }
}

/** The cloud assembly a template belongs to: its directory, above any stage's `assembly-*`. */
function assemblyRoot(templatePath: string): string {
  let dir = path.dirname(templatePath);
  while (path.basename(dir).startsWith('assembly-')) dir = path.dirname(dir);
  return dir;
}

function stackName(context: IPolicyValidationContext, constructPath: string, templatePath: string): string {
  const stack = context.appConstruct?.node.findAll().find((c) => c.node.path === constructPath);
  return stack && Stack.isStack(stack) ? stack.stackName : path.basename(templatePath).replace(/\.template\.json$/, '');
}
