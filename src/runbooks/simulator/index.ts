export * from './environment';
export * from './mock';
export * from './simulation';
export * from './simulator';
