// jest maps `@aws/cloudformation-validate` here: the module the test environment loaded once for this worker.
const shared = globalThis.__cdkOpexSharedCfnValidate;
if (!shared) throw new Error('test/support/jest/environment.js must be the jest testEnvironment');
module.exports = shared;
