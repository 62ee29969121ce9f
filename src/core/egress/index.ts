/** The egress gate: one policy for everything that leaves the machine (see gate.ts). */
export * from './gate';
export * from './contentScan';
export * from './secretPaths';
