export * from './change';
export { diffServiceViews, diffService } from './diff-views';
export { renderJson } from './render-json';
export { renderMarkdown } from './render-markdown';
export { renderText } from './render-text';
