// Runs src/platform/imageWorker.ts in a worker thread under tsx (the extension runs the bundled dist/imageWorker.js).
import { register } from 'tsx/esm/api';

register();
await import('../../../../src/platform/imageWorker.ts');
