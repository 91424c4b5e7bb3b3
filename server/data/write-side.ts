/**
 * The repositories' write side in one module, imported on the first write (deferred-methods.ts): one chunk of the
 * Lambda bundle rather than one per repository, since each chunk a bundle splits off can leave the code shared with
 * the rest in chunks of their own, which every cold start then loads.
 */
export { createMembershipWrites } from './membership/writes.js';
export { createNeighborhoodAdminRepo } from './neighborhood/admin-repo.js';
export { createNeighborhoodWrites } from './neighborhood/create.js';
