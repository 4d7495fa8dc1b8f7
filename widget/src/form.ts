/**
 * One form builder for comments, replies and wishes: labelled fields, required marks, validation
 * with the very valibot schema the API uses, errors next to their field (from the browser or the
 * server), a live status line, and one Idempotency-Key per submission that survives a retry.
 */
import { type GenericSchema, is, safeParse } from 'valibot';
import { EditKeySchema, fieldIssues } from '../../functions/core/schemas';
import type { ApiError, FieldError } from './api';
import type { Child } from './dom';
import { formGuard } from './guard';
import type { Kit } from './kit';

export interface FieldSpec {
  /** The schema's field name (its label is the text of that key); `local` is kept in the browser, never sent (it sends the browser's reader key). */
  name: string;
  type?: 'text' | 'email' | 'url' | 'textarea' | 'checkbox';
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  value?: string | boolean;
  /** Keep the value after a successful submission (name, email …). */
  keep?: boolean;
}

export interface FormSpec<T> {
  fields: FieldSpec[];
  submit: string;
  schema: GenericSchema;
  /** Values that are no inputs (page, parentId, …). */
  fixed?: Record<string, unknown>;
  send: (body: unknown, key: string) => Promise<T>;
  /** Called after success; a returned text is shown in the form's status line. */
  done: (result: T, values: Record<string, string | boolean>) => string | undefined;
  /** Buttons next to submit (cancel). */
  actions?: Child[];
  /** The form's heading, which also names it for assistive tech. */
  label: string;
  /** Its level: h2 where the page's own heading is the only one above it. */
  level?: 'h2' | 'h3';
}

let forms = 0;

export function makeForm<T>(kit: Kit, spec: FormSpec<T>): HTMLFormElement {
  const { h } = kit;
  const prefix = `f${++forms}`;
  const errors: Record<string, HTMLElement> = {};
  const status = h('p', { role: 'status', class: 'st' });
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': `${prefix}-t` },
    h(spec.level ?? 'h3', { id: `${prefix}-t` }, spec.label),
    h('p', { class: 'hi' }, kit.t('requiredNote')),
    ...spec.fields.map(row),
    // The honeypot: people never see it, form-filling bots do.
    h('div', { class: 'hp' }, h('input', { name: 'hp', tabindex: -1, autocomplete: 'off' })),
    h('div', { class: 'ac' }, h('button', { class: 'pr' }, spec.submit), ...(spec.actions ?? [])),
    status,
  );
  const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement | null;
  const guard = formGuard(kit.api);
  form.addEventListener('focusin', guard.start, { once: true });
  let busy = false;
  let lastBody = '';
  let key = '';
  let guardFields: Record<string, string> = {};

  function row({ name, type = 'text', required, hint, autocomplete, value }: FieldSpec): HTMLElement {
    const id = `${prefix}-${name}`;
    const checkbox = type === 'checkbox';
    const error = h('p', { class: 'er', id: `${id}-e`, hidden: true });
    errors[name] = error;
    const note = hint && h('p', { class: 'hi', id: `${id}-h` }, hint);
    const el = h(type === 'textarea' ? 'textarea' : 'input', {
      id,
      name,
      autocomplete,
      type: type === 'textarea' ? null : type,
      rows: type === 'textarea' && 5,
      checked: value === true,
      'aria-required': required && 'true',
      'aria-describedby': `${note ? `${id}-h ` : ''}${id}-e`,
    });
    if (typeof value === 'string') el.value = value;
    const label = h(
      'label',
      { for: id },
      kit.t(name),
      required && h('span', { 'aria-hidden': 'true' }, ' *'),
    );
    // Consent links the blog's privacy page when it has one, and her data on the API (see, export, erase).
    const privacy =
      name === 'consent' &&
      h(
        'span',
        {},
        ' (',
        kit.privacy && h('a', { href: kit.privacy }, kit.t('privacy')),
        kit.privacy && ' · ',
        h('a', { href: `${kit.apiBase}/readers/data?lang=${kit.lang}` }, kit.t('myData')),
        ')',
      );
    return checkbox
      ? h('div', { class: 'fd ck' }, el, h('div', {}, label, privacy, note, error))
      : h('div', { class: 'fd' }, label, note, el, error);
  }

  /** Shows each issue next to its field (none: clears them); issues without an input go to the status line. */
  function show(issues: FieldError[] = [], fallback = ''): void {
    let first: HTMLElement | undefined;
    const general = [fallback];
    for (const name in errors) {
      errors[name]!.hidden = true;
      input(name)!.removeAttribute('aria-invalid');
    }
    // An answer's `fields` may be anything; what is no list of issues gives just the general line.
    for (const { field, code, message } of Array.isArray(issues) ? issues.map(Object) : []) {
      const text = message || kit.t(`e_${code}`) || kit.t('e_invalid');
      const error = errors[field];
      const el = input(field);
      if (!error || !el) {
        general.push(text);
        continue;
      }
      error.textContent = text;
      error.hidden = false;
      el.setAttribute('aria-invalid', 'true');
      first ??= el;
    }
    status.textContent = general.join(' ').trim();
    status.className = fallback ? 'st bad' : 'st';
    first?.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    show();
    const all: Record<string, string | boolean> = {};
    for (const el of form.elements as unknown as HTMLInputElement[]) {
      if (el.name) all[el.name] = el.type === 'checkbox' ? el.checked : el.value;
    }
    const { local, ...values } = all;
    // "Remember me" also keeps a key of this browser: with it (and only with it) her approved
    // address skips moderation. Unticking forgets it.
    // A key the API would refuse (a hand-edited or broken entry) is replaced, or no comment could go out.
    const kept = kit.store('rk');
    if (local) values.readerKey = is(EditKeySchema, kept) ? kept : kit.randomId();
    kit.store('rk', values.readerKey ?? (local === false ? null : undefined));
    const parsed = safeParse(spec.schema, { ...values, ...spec.fixed });
    if (!parsed.success) return show(fieldIssues(parsed.issues), kit.t('check'));
    const content = JSON.stringify(parsed.output);
    busy = true;
    form.setAttribute('aria-busy', 'true');
    status.textContent = kit.t('sending');
    try {
      // A new submission gets a new key and fresh guard fields; sending the same thing again (a retry
      // after a failure) reuses both, so the server recognises it and stores it at most once.
      if (content !== lastBody) {
        key = kit.randomId();
        guardFields = await guard.fields();
      }
      lastBody = content;
      const result = await spec.send({ ...(parsed.output as object), ...guardFields } as T, key);
      // Before the fields are emptied: an answer `done` cannot use (no comment in it) fails like
      // the network, she keeps her text, and her retry with the same key is stored at most once.
      const said = spec.done(result, all);
      lastBody = '';
      for (const field of spec.fields) {
        const el = input(field.name)!;
        if (!field.keep) {
          el.checked = false;
          el.value = '';
        }
      }
      status.textContent = said ?? '';
    } catch (error) {
      const failure = error as ApiError;
      show(failure.fields, failure.status ? failure.message || kit.t('check') : kit.t('offline'));
    } finally {
      busy = false;
      form.removeAttribute('aria-busy');
    }
  });
  return form;
}
