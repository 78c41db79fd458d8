export * from './service-view';
export { buildServiceViews } from './build-views';
export { matchKey, matchLabel } from './match-label';
