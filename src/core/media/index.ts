/** Images and PDFs: the API's facts about them, and reading their size from their bytes. */
export * from './mediaFacts';
export * from './probe';
