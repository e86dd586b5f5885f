// Compatibility re-export: the core loader lives in src/port/core.ts (the port). Existing imports of
// src/core.js keep working; new code imports ./port/core.js.
export * from './port/core.js';
