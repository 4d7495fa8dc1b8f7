/**
 * The desk's one stylesheet, served from a hash-named URL (the CSP allows styles from 'self' only,
 * no inline styles). Mobile first, dark mode from the system setting, visible focus for keyboards.
 */
import { createHash } from 'node:crypto';

export const DESK_CSS = `:root{color-scheme:light dark;--bg:#fbfaf8;--fg:#1d1b19;--muted:#5c5750;--line:#d9d4cc;--card:#fff;--accent:#8a3b12;--accent-fg:#fff;--ok:#1f6b3a;--warn:#8a1c1c}
@media (prefers-color-scheme:dark){:root{--bg:#161514;--fg:#f1eee9;--muted:#b8b1a7;--line:#3d3935;--card:#211f1d;--accent:#f0a36e;--accent-fg:#1d1b19;--ok:#7fd49b;--warn:#ff9c9c}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--card);padding:8px}
header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;padding:12px 16px;border-bottom:1px solid var(--line);background:var(--card)}
header .brand{font-weight:700;margin-right:auto}
nav ul{display:flex;flex-wrap:wrap;gap:4px 12px;list-style:none;margin:0;padding:0}
nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
main{max-width:48rem;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:8px 0 16px}h2{font-size:1.15rem;margin:24px 0 8px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin:0 0 12px}
.card>p:first-child{margin-top:8px}
.meta:empty{margin:0}
.meta{color:var(--muted);font-size:.9rem;margin:0 0 6px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:6px 0}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
button{font:inherit;border:1px solid var(--accent);background:var(--card);color:var(--fg);border-radius:8px;padding:8px 12px;min-height:44px;cursor:pointer}
button.primary{background:var(--accent);color:var(--accent-fg)}
input,select,textarea{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:8px;padding:8px;min-height:44px;width:100%}
input[type=checkbox]{width:24px;min-height:24px;height:24px;vertical-align:middle}
label{display:block;margin:8px 0 4px;font-weight:600}
label.inline{display:inline;font-weight:400}
.notice{border-left:4px solid var(--ok);padding:8px 12px;background:var(--card);margin:0 0 16px}
.problem{border-left:4px solid var(--warn);padding:8px 12px;background:var(--card);margin:0 0 16px}
.bulk{border:0;border-top:1px solid var(--line);margin:16px 0 0;padding:8px 0}
.bulk legend{padding:8px 0 0;font-weight:600}
.tabs{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:0 0 16px}
.inline-form{display:inline-flex;gap:8px;flex-wrap:wrap}
progress{width:100%;height:12px;accent-color:var(--accent)}
blockquote.text{margin:8px 0;padding:4px 0 4px 12px;border-left:4px solid var(--line);font-size:1.05rem}
.badge{display:inline-block;border:1px solid var(--muted);border-radius:999px;padding:0 8px;font-size:.8rem}
.badge.public{border-color:var(--ok);color:var(--ok)}
a.button{display:inline-flex;align-items:center;border:1px solid var(--accent);border-radius:8px;padding:8px 12px;min-height:44px;text-decoration:none}
ul.plain{list-style:none;padding:0;margin:0 0 12px}
.field-problem{color:var(--warn);margin:4px 0 0}
details.card summary{cursor:pointer;font-weight:600;min-height:32px}
footer{max-width:48rem;margin:24px auto;padding:0 16px;color:var(--muted);font-size:.9rem;display:flex;gap:8px;flex-wrap:wrap}
`;

/** The stylesheet's file name, e.g. `desk.3f9a1c2b7d.css`: a new build gets a new URL, so it caches forever. */
export const DESK_CSS_FILE = `desk.${createHash('sha256').update(DESK_CSS).digest('hex').slice(0, 10)}.css`;
