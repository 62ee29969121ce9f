/** The context model, reusable by other features (batches, recipes): items, rules, limits, blocks. */
export * from './contextItem';
export * from './contextSet';
export * from './exclusions';
export * from './limits';
export * from './pickPlan';
export * from './fuzzy';
export * from './selectionPrompt';
export * from './readFile';
export * from './chips';
export * from './viewGate';
export * from './expandPick';
export * from './mediaLimits';
export * from './droppedMedia';
export * from './mediaUploads';
