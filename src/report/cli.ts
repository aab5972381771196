#!/usr/bin/env node
/**
 * cdk-opex command line:
 *
 *   cdk-opex report <cloud assembly dir, e.g. cdk.out> [--out <dir>]
 *
 * Prints a one-screen readiness summary and writes opex-readiness.json, .md and .html
 * (into the assembly directory unless --out says otherwise).
 */
import * as path from 'path';
import { renderSummary } from './render';
import { reportFromAssembly, writeReport } from './write';

const USAGE = 'usage: cdk-opex report <cloud assembly dir, e.g. cdk.out> [--out <dir>]';

/** Output streams, so tests can capture them. */
export interface CliIo {
  readonly log: (text: string) => void;
  readonly error: (text: string) => void;
}

/** Runs the CLI with `args` (without `node` and the script); returns the exit code. */
export function main(args: string[], io: CliIo = { log: (t) => process.stdout.write(t), error: (t) => process.stderr.write(t) }): number {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.log(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'report') {
    io.error(`cdk-opex: ${command ? `unknown command '${command}'` : 'no command given'}\n${USAGE}\n`);
    return 2;
  }
  let dir: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--out' || rest[i] === '-o') {
      out = rest[++i];
      if (!out) {
        io.error(`cdk-opex: --out needs a directory\n${USAGE}\n`);
        return 2;
      }
    } else if (rest[i].startsWith('--out=')) {
      out = rest[i].slice('--out='.length);
    } else if (!dir && !rest[i].startsWith('-')) {
      dir = rest[i];
    } else {
      io.error(`cdk-opex: unexpected argument '${rest[i]}'\n${USAGE}\n`);
      return 2;
    }
  }
  if (!dir) {
    io.error(`cdk-opex: which cloud assembly? ${USAGE}\n`);
    return 2;
  }
  try {
    const report = reportFromAssembly(dir);
    const files = writeReport(out ?? dir, report);
    io.log(renderSummary(report));
    io.log(`\nwrote ${files.map((f) => shortPath(f)).join(', ')}\n`);
    return 0;
  } catch (e) {
    io.error(`cdk-opex: ${(e as Error).message}\n`);
    return 1;
  }
}

/** A path relative to the working directory when it is below it, else absolute. */
function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(file);
}

if (require.main === module) {
  // `cdk-opex report cdk.out | head` closes stdout early; the files are written by then.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = main(process.argv.slice(2));
}
