/**
 * The stylesheet of the public pages (moderation links, reader pages, HTML errors). Inline in each
 * page: their CSP allows inline styles and nothing else, so a page needs no second request.
 */
export const PUBLIC_PAGE_CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;color:#1d1d1d;background:#f6f5f2;margin:0;padding:24px}
main{max-width:36rem;margin:0 auto;background:#fff;border-radius:10px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.35rem;margin:0 0 16px}th{text-align:left;padding:2px 12px 2px 0;vertical-align:top}td{overflow-wrap:anywhere}
blockquote{margin:12px 0;padding:8px 12px;border-left:4px solid #c7c7c7;white-space:pre-wrap;overflow-wrap:anywhere}
label{display:block;margin:12px 0}input{display:block;width:100%;box-sizing:border-box;padding:8px;font:inherit;margin-top:4px}
button{font:inherit;padding:10px 18px;border:0;border-radius:6px;background:#1f6f43;color:#fff;cursor:pointer;margin-top:8px}
button.danger{background:#8b2c2c}.note{color:#666;font-size:.9rem}.problem{color:#8b2c2c;font-weight:bold}
.refused h1{color:#8b2c2c}.done h1{color:#1f6f43}a{color:#1f5f8f}`;

/** What only the "Meine Daten" pages add (sections, item lists, the erase tick box). */
export const DATA_PAGE_CSS = `h2{font-size:1.1rem;margin:24px 0 8px}ul.items{padding-left:1.1rem}ul.items li{margin:8px 0}
label.check input{display:inline;width:auto;margin:0 6px 0 0}`;
