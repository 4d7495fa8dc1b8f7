/**
 * The desk's only script, for the import (progressive enhancement: every page works without it).
 * It packs a big export with the browser's CompressionStream before the upload (so tens of MB of
 * XML fit the upload limit), and submits the progress page's "continue" form by itself. Served
 * from a hash-named URL under the CSP's script-src 'self': no inline script anywhere.
 */
import { createHash } from 'node:crypto';

export const DESK_IMPORT_JS = `(() => {
  const upload = document.querySelector('form[data-import-upload]');
  if (upload && 'CompressionStream' in window && 'DataTransfer' in window) {
    const input = upload.querySelector('input[type=file]');
    const status = document.getElementById('import-status');
    const say = (text) => { if (status) status.textContent = text; };
    upload.addEventListener('submit', async (event) => {
      const file = input && input.files && input.files[0];
      const limit = Number(upload.dataset.maxBytes);
      if (!file || file.size <= limit) return;
      event.preventDefault();
      const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
      if ((head[0] === 0x1f && head[1] === 0x8b) || file.size > Number(upload.dataset.maxInflated)) {
        say(upload.dataset.tooLarge);
        return;
      }
      say(upload.dataset.compressing);
      const packed = await new Response(file.stream().pipeThrough(new CompressionStream('gzip'))).blob();
      if (packed.size > limit) {
        say(upload.dataset.tooLarge);
        return;
      }
      const files = new DataTransfer();
      files.items.add(new File([packed], file.name + '.gz', { type: 'application/gzip' }));
      input.files = files.files;
      upload.submit();
    });
  }
  const next = document.querySelector('form[data-continue]');
  if (next) next.submit();
})();
`;

/** The script's file name, e.g. `import.3f9a1c2b7d.js`: a new build gets a new URL, so it caches forever. */
export const DESK_IMPORT_JS_FILE = `import.${createHash('sha256').update(DESK_IMPORT_JS).digest('hex').slice(0, 10)}.js`;
