export { createRampart } from './create-rampart.js';
export type { CreateRampartOptions, Rampart } from './create-rampart.js';
