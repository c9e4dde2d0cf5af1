// The labs' public API for other parts of the site (teacher page, class server): re-check a lab claim by replaying
// its log, read this browser's lab progress, and list the labs.
export { replayLab, LabInstance, MAX_LOG, type ReplayResult } from './runtime.ts';
export { PROGRESS_KEY, parseProgress, readProgress, recordRun, writeProgress, type LabProgress, type LabProgressEntry, type ProgressStorage } from './progress.ts';
export { LAB_CATALOG, labInfo, type LabInfo, type LabLang } from './catalog.ts';
export { LAB_LOADERS } from './registry.ts';
export type { LabAction, LabExchange, LabMode, LabSnapshot } from './types.ts';
