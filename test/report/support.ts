import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';

/** A strict app (schema findings fail synth) that synthesizes into a fresh temporary directory. */
export function strictAppInTempDir(): { app: App; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-report-'));
  const app = new App({ outdir, context: { '@aws-cdk/core:strictCfnValidateErrors': true } });
  return { app, outdir };
}

export function stackIn(app: App, id: string): Stack {
  return new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
}

/** The row of a Well-Architected best practice. */
export function row(service: { wellArchitected: Array<{ id: string; status: string; evidence: string[]; reason: string }> }, id: string) {
  const found = service.wellArchitected.find((r) => r.id === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
}
