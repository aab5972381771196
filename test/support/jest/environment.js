// A Node test environment that shares CloudFormation template validation between the test
// files one jest worker runs. aws-cdk-lib validates every synthesized template against the
// CloudFormation schemas with a WebAssembly engine whose set-up takes ~1.7 s; jest loads
// modules afresh for each test file, so each file would pay it again. Here the engine's
// module is loaded once per worker, and an engine is built once per configuration: the
// validation itself (schemas, rules, strict mode) is exactly aws-cdk-lib's.
const path = require('path');
const { TestEnvironment } = require('jest-environment-node');

const CDK_LIB = path.dirname(require.resolve('aws-cdk-lib/package.json'));
const validatePath = require.resolve('@aws/cloudformation-validate', { paths: [CDK_LIB] });

let shared;
function sharedValidate() {
  if (shared) return shared;
  const real = require(validatePath);
  const engines = new Map();
  // The engine accepts only this realm's plain objects; a test file's objects come from its own realm.
  const plain = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  /** The engine aws-cdk-lib asks for, built once per configuration; `free` is a no-op since others reuse it. */
  class SharedCompositeEngine {
    constructor(config) {
      const key = JSON.stringify(config ?? {});
      if (!engines.has(key)) engines.set(key, new real.CompositeEngine(plain(config)));
      this.engine = engines.get(key);
    }
    validateTemplate(template, options) {
      return this.engine.validateTemplate(template, plain(options));
    }
    free() {}
  }
  shared = { ...real, CompositeEngine: SharedCompositeEngine };
  return shared;
}

class SharedValidationEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__cdkOpexSharedCfnValidate = sharedValidate();
  }
}

module.exports = SharedValidationEnvironment;
