/** What the CLI needs of the merge operation besides the Repository (apart, so that opening a repository does not load it). */
export { MergeConflictError, MergeConstraintError, type Strategy } from '../ops/merge.js';
