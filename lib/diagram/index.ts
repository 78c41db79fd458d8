export { serviceFlowchart } from './service-flowchart';
export { DIAGRAM_DIR, diagramFiles, diagramPage, diagramPath } from './diagram-files';
export { driftOf, hasDrift, syncFiles } from './sync-files';
export type { Drift } from './sync-files';
