import type { PublicWish } from './schemas';

/** What every reader may see of a wish: the API answers exactly these, and its document says so. */
export const PUBLIC_WISH_FIELDS = [
  'id',
  'topic',
  'details',
  'publicName',
  'website',
  'status',
  'votes',
  'articleUrl',
  'writtenAt',
  'createdAt',
] as const satisfies readonly (keyof PublicWish)[];
