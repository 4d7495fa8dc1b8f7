/**
 * The desk's passkey script (progressive enhancement): in a browser with WebAuthn it shows the
 * passkey forms (hidden otherwise), asks the desk for a challenge, lets the device create or use a
 * passkey, and posts the device's answer as JSON in the form's `credential` field, as a normal form
 * POST: the desk answers with a page (or a redirect), like every other form. Hand-written: the
 * base64url conversions are all WebAuthn needs around `navigator.credentials`. Served from a
 * hash-named URL under the CSP's script-src 'self'.
 *
 * Passkey autofill: where the browser can offer passkeys among the suggestions of a field
 * (conditional mediation), the sign-in's field marked `data-passkey-autofill` says so in its
 * autocomplete, and a quiet request with the same challenge waits until she picks one there. The
 * button stays for browsers without it, and aborts the quiet request before asking the device.
 */
import { createHash } from 'node:crypto';

export const DESK_PASSKEY_JS = `(() => {
  const forms = document.querySelectorAll('form[data-passkey]');
  if (!forms.length || !window.PublicKeyCredential || !navigator.credentials) return;
  const bytes = (text) => {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  };
  const text = (buffer) => {
    let binary = '';
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  };
  const withIds = (list) => (list || []).map((item) => ({ ...item, id: bytes(item.id) }));
  const autofill = document.querySelector('input[data-passkey-autofill]');
  const conditional = autofill && PublicKeyCredential.isConditionalMediationAvailable
    ? PublicKeyCredential.isConditionalMediationAvailable().catch(() => false)
    : Promise.resolve(false);
  conditional.then((available) => { if (available) autofill.setAttribute('autocomplete', 'username webauthn'); });
  const answer = (credential) => {
    const r = credential.response;
    const response = { clientDataJSON: text(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = text(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = text(r.authenticatorData);
      response.signature = text(r.signature);
      if (r.userHandle) response.userHandle = text(r.userHandle);
    }
    return JSON.stringify({ id: credential.id, rawId: text(credential.rawId), type: credential.type, response, clientExtensionResults: {} });
  };
  for (const form of forms) {
    form.hidden = false;
    for (const note of document.querySelectorAll('[data-passkey-missing]')) note.hidden = true;
    const status = form.querySelector('[data-passkey-status]');
    const say = (message) => { if (status) status.textContent = message || ''; };
    // The challenge is fetched before the click: Safari lets a page call WebAuthn only in the
    // click's own turn, not after an awaited request. Fetched again before it expires.
    let options = null;
    let loadedAt = 0;
    const signIn = (publicKey, extra) => navigator.credentials.get({ ...extra, publicKey: { ...publicKey, challenge: bytes(publicKey.challenge), allowCredentials: withIds(publicKey.allowCredentials) } });
    const send = (credential) => { form.elements.credential.value = answer(credential); form.submit(); };
    // The quiet request in the field's suggestions; one at a time, ended before any other.
    let quiet = null;
    const hush = () => { if (quiet) quiet.abort(); quiet = null; };
    const offer = async () => {
      if (form.dataset.passkey !== 'login' || !(await conditional) || !options) return;
      hush();
      const controller = new AbortController();
      quiet = controller;
      try {
        const credential = await signIn(options, { mediation: 'conditional', signal: controller.signal });
        if (quiet !== controller) return;
        options = null;
        send(credential);
      } catch (error) {
        // Aborted for a new challenge or the button, or nothing picked: the button stays.
      }
    };
    const load = async () => {
      options = null;
      hush();
      delete form.dataset.ready;
      try {
        const csrf = form.elements.csrf ? form.elements.csrf.value : '';
        const reply = await fetch(form.dataset.options, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(csrf ? { csrf } : {}),
        });
        if (reply.ok) { options = await reply.json(); loadedAt = Date.now(); form.dataset.ready = '1'; offer(); }
        // Too many sign-in attempts from this network: the server's words say what to do instead.
        else if (reply.status === 429) { const { error } = await reply.json(); say((error.fields[0] || error).message); }
      } catch (error) {
        options = null;
      }
    };
    const refresh = Number(form.dataset.refreshSeconds) * 1000;
    const stale = () => Date.now() - loadedAt > refresh;
    load();
    setInterval(() => { if (options && stale()) load(); }, 30000);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible' && stale()) load(); });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!options || stale()) {
        say(form.dataset.failed);
        load();
        return;
      }
      const publicKey = options;
      options = null;
      hush();
      delete form.dataset.ready;
      say(form.dataset.waiting);
      try {
        const credential = form.dataset.passkey === 'register'
          ? await navigator.credentials.create({ publicKey: { ...publicKey, challenge: bytes(publicKey.challenge), user: { ...publicKey.user, id: bytes(publicKey.user.id) }, excludeCredentials: withIds(publicKey.excludeCredentials) } })
          : await signIn(publicKey, {});
        send(credential);
      } catch (error) {
        const name = error && error.name;
        say(name === 'InvalidStateError' && form.dataset.exists ? form.dataset.exists : name === 'NotAllowedError' || name === 'AbortError' ? form.dataset.cancelled : form.dataset.failed);
        // A new challenge for the next try (a sign-in's cookie then names the new attempt).
        load();
      }
    });
  }
})();
`;

/** The script's file name, e.g. `passkeys.3f9a1c2b7d.js`: a new build gets a new URL, so it caches forever. */
export const DESK_PASSKEY_JS_FILE = `passkeys.${createHash('sha256').update(DESK_PASSKEY_JS).digest('hex').slice(0, 10)}.js`;
