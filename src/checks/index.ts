export * from './operational-excellence-checks';
