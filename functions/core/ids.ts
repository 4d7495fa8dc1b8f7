import { monotonicFactory } from 'ulid';

/** ULIDs: sortable by creation time, so a key ordered by id is ordered by date. */
export const newId: () => string = monotonicFactory();
