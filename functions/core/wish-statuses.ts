/** Every status a wish can have, and which of them put it on the public board. */
export const WISH_STATUSES = ['new', 'accepted', 'planned', 'written', 'declined', 'spam', 'merged'] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];
/** Statuses in which a wish is on the public board and takes votes. */
export const PUBLIC_WISH_STATUSES = ['accepted', 'planned', 'written'] as const;
export type PublicWishStatus = (typeof PUBLIC_WISH_STATUSES)[number];

export function isPublicWishStatus(status: string): status is PublicWishStatus {
  return (PUBLIC_WISH_STATUSES as readonly string[]).includes(status);
}
