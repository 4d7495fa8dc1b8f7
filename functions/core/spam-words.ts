/**
 * Words and phrases that, in a comment or wish on a marketing blog, almost only spam uses. A hit
 * does not reject anything: it holds the submission for the author, who sees the reason in her mail.
 * Deliberately short and specific: "SEO", "Marketing" or "Krypto" alone are topics of the blog.
 * Lower case; a space also matches a hyphen or several spaces.
 */
export const SPAM_WORDS: readonly string[] = [
  // English
  'viagra',
  'cialis',
  'casino bonus',
  'online casino',
  'crypto profit',
  'bitcoin profit',
  'forex signals',
  'binary options',
  'payday loan',
  'replica watches',
  'buy backlinks',
  'cheap backlinks',
  'essay writing service',
  'weight loss pills',
  'work from home and earn',
  'adult dating',
  'hot singles',
  // Deutsch
  'online-casino',
  'casino ohne lizenz',
  'sportwetten bonus',
  'kredit ohne schufa',
  'schnell reich',
  'geld verdienen von zuhause',
  'potenzmittel',
  'krypto-gewinne',
  'abnehmen ohne diät',
  'backlinks kaufen',
  'follower kaufen',
  'sexkontakte',
];
