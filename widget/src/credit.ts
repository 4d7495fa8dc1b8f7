/**
 * `<leserpost-wish-credit>`, loaded only where the element is placed: on an article that fulfilled
 * a reader's wish, one line of thanks. Without a wish it shows nothing.
 */
import type { PublicWish } from '../../functions/core/schemas';
import type { Kit } from './kit';

const TEXTS = `credit|Dieses Thema wünschte sich {n}|This topic was wished for by {n}
someone|ein:e Leser:in|a reader`;

export async function credit(host: HTMLElement, kit: Kit, css: string, page: string): Promise<void> {
  const { h, t } = kit;
  kit.addTexts(TEXTS);
  try {
    const { wish } = await kit.api<{ wish: PublicWish | null }>(
      `/wishes/credit?page=${encodeURIComponent(page)}`,
    );
    if (!wish) return;
    const name = wish.publicName || t('someone');
    // The name becomes the credit's link when she gave one (a wish she entered by hand).
    const [before, after = ''] = t('credit', '\u0000').split('\u0000');
    kit
      .shell(host, css)
      .append(
        h(
          'p',
          { class: 'cr', lang: kit.lang },
          before,
          wish.publicName && wish.website ? kit.link(wish.website, name) : name,
          `${after} – ${wish.votes === 1 ? t('vote1') : t('votes', wish.votes)}`,
        ),
      );
  } catch {
    // A missing credit line is no reason to bother the reader.
  }
}
