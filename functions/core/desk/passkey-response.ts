/**
 * What a browser answers to a passkey ceremony, checked before anything is looked up: the JSON the
 * desk's script puts into the form's `credential` field, rebuilt field by field (nothing else of
 * it travels on), and the client data inside it (which challenge, which origin, which ceremony).
 * A wrong value names its field, e.g. `credential.response.signature`. Pure.
 */
import { isIP } from 'node:net';
import { LIMITS } from '../limits';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A challenge the desk issued: 32 random bytes, base64url. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];

export type Ceremony = 'register' | 'login';

export interface ClientData {
  challenge: string;
  origin: string;
}

export interface RegistrationAnswer {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, never>;
}

export interface LoginAnswer {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle: string };
  clientExtensionResults: Record<string, never>;
}

export type Refusal = { ok: false; field: string; code: string };
type Parsed<T> = { ok: true; answer: T; clientData: ClientData } | Refusal;

const refuse = (field: string, code: string): Refusal => ({ ok: false, field, code });

/** The relying party is the desk's own host: WebAuthn binds a passkey to it (never to an IP address). */
export function relyingParty(deskUrl: string): { rpID: string; origin: string; possible: boolean } {
  const url = new URL(deskUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { rpID: host, origin: url.origin, possible: isIP(host) === 0 };
}

function base64url(value: unknown, field: string, maxChars: number): string | Refusal {
  if (typeof value !== 'string') return refuse(field, value === undefined ? 'required' : 'wrong_type');
  if (value.length === 0 || value.length > maxChars || !BASE64URL.test(value))
    return refuse(field, 'invalid_base64url');
  return value;
}

const isRefusal = (value: unknown): value is Refusal =>
  typeof value === 'object' && value !== null && (value as Refusal).ok === false;

/** The outer object, its id and type, and the client data: shared by both ceremonies. */
function parseCommon(
  raw: string,
  ceremony: Ceremony,
):
  | Refusal
  | {
      ok: true;
      id: string;
      response: Record<string, unknown>;
      clientDataJSON: string;
      clientData: ClientData;
    } {
  if (raw.length === 0) return refuse('credential', 'required');
  if (raw.length > LIMITS.desk.passkeyResponseMaxChars) return refuse('credential', 'too_long');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return refuse('credential', 'invalid_json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return refuse('credential', 'wrong_type');
  const body = parsed as Record<string, unknown>;
  const id = base64url(body.id, 'credential.id', 1400);
  if (isRefusal(id)) return id;
  if (body.rawId !== id) return refuse('credential.rawId', 'mismatch');
  if (body.type !== 'public-key') return refuse('credential.type', 'invalid');
  const response = body.response;
  if (typeof response !== 'object' || response === null || Array.isArray(response))
    return refuse('credential.response', 'wrong_type');
  const fields = response as Record<string, unknown>;
  const clientDataJSON = base64url(fields.clientDataJSON, 'credential.response.clientDataJSON', 2000);
  if (isRefusal(clientDataJSON)) return clientDataJSON;
  const clientData = parseClientData(clientDataJSON, ceremony);
  if (isRefusal(clientData)) return clientData;
  return { ok: true, id, response: fields, clientDataJSON, clientData };
}

function parseClientData(encoded: string, ceremony: Ceremony): ClientData | Refusal {
  const field = 'credential.response.clientDataJSON';
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return refuse(field, 'invalid_json');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return refuse(field, 'wrong_type');
  const { type, challenge, origin } = data as Record<string, unknown>;
  if (type !== (ceremony === 'register' ? 'webauthn.create' : 'webauthn.get'))
    return refuse(`${field}.type`, 'wrong_ceremony');
  if (typeof challenge !== 'string' || !CHALLENGE.test(challenge))
    return refuse(`${field}.challenge`, 'invalid');
  if (typeof origin !== 'string' || origin.length > 300) return refuse(`${field}.origin`, 'invalid');
  return { challenge, origin };
}

export function parseRegistrationAnswer(raw: string): Parsed<RegistrationAnswer> {
  const common = parseCommon(raw, 'register');
  if (!common.ok) return common;
  const attestationObject = base64url(
    common.response.attestationObject,
    'credential.response.attestationObject',
    LIMITS.desk.passkeyResponseMaxChars,
  );
  if (isRefusal(attestationObject)) return attestationObject;
  const rawTransports = common.response.transports ?? [];
  if (!Array.isArray(rawTransports) || rawTransports.length > TRANSPORTS.length)
    return refuse('credential.response.transports', 'wrong_type');
  // Transports only help the browser offer the right device: unknown ones are left out, not refused.
  const transports = rawTransports.filter(
    (t): t is string => typeof t === 'string' && TRANSPORTS.includes(t),
  );
  return answerOf(common, { attestationObject, transports });
}

/** The checked answer, rebuilt from its checked parts only. */
function answerOf<R>(
  common: { id: string; clientDataJSON: string; clientData: ClientData },
  response: R,
): {
  ok: true;
  clientData: ClientData;
  answer: {
    id: string;
    rawId: string;
    type: 'public-key';
    response: R & { clientDataJSON: string };
    clientExtensionResults: Record<string, never>;
  };
} {
  return {
    ok: true,
    clientData: common.clientData,
    answer: {
      id: common.id,
      rawId: common.id,
      type: 'public-key',
      response: { clientDataJSON: common.clientDataJSON, ...response },
      clientExtensionResults: {},
    },
  };
}

export function parseLoginAnswer(raw: string): Parsed<LoginAnswer> {
  const common = parseCommon(raw, 'login');
  if (!common.ok) return common;
  const authenticatorData = base64url(
    common.response.authenticatorData,
    'credential.response.authenticatorData',
    2000,
  );
  if (isRefusal(authenticatorData)) return authenticatorData;
  const signature = base64url(common.response.signature, 'credential.response.signature', 2000);
  if (isRefusal(signature)) return signature;
  // The desk asks without naming a credential: the answer must then name its user (WebAuthn §7.2).
  const userHandle = base64url(common.response.userHandle, 'credential.response.userHandle', 200);
  if (isRefusal(userHandle)) return userHandle;
  return answerOf(common, { authenticatorData, signature, userHandle });
}
