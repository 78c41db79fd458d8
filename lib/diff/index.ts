export * from './change';
export { diffRevisions, diffService, revisionOf } from './diff-views';
export type { Revision } from './diff-views';
export { inventoryOf } from './inventory';
export type { Inventory } from './inventory';
export { renderJson } from './render-json';
export { renderMarkdown } from './render-markdown';
export { renderText } from './render-text';
