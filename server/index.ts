export { createLoupeMiddleware } from './createLoupeMiddleware';
export type { LoupeMiddleware } from './createLoupeMiddleware';
export { createMemoryStore } from './createMemoryStore';
export type { MemoryStore } from './createMemoryStore';
export { createLogBatch } from './createLogBatch';
export { isPageRequest, readLoupeIds } from './sessionIds';
export { validateLogRequest } from './validateLogRequest';
export type { LogRequestValidation } from './validateLogRequest';
export type * from './types';
