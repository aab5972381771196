export * from './model';
export * from './plugin';
// TypeScript entry points (jsii exports classes and interfaces only; other languages use ReadinessReport's static methods).
export { analyzeAssembly } from './analyze';
export type { StackTemplateInput } from './analyze';
export { reportFromAssembly, writeReport } from './write';
export { renderHtml, renderJson, renderMarkdown } from './render';
