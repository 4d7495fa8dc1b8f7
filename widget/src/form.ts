/**
 * One form builder for comments, replies and wishes: labelled fields, required marks, validation
 * with the very valibot schema the API uses, errors next to their field (from the browser or the
 * server), a live status line, and one Idempotency-Key per submission that survives a retry.
 */
import { type GenericSchema, safeParse } from 'valibot';
import { fieldIssues } from '../../functions/core/schemas';
import { type ApiError, type FieldError, formGuard, randomId } from './api';
import { type Child, h } from './dom';
import type { Kit } from './kit';

export interface FieldSpec {
  /** The schema's field name; fields named `local` are kept in the browser, never sent. */
  name: string;
  label: Child;
  type?: 'text' | 'email' | 'url' | 'textarea' | 'checkbox';
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  value?: string | boolean;
  /** Keep the value after a successful submission (name, email …). */
  keep?: boolean;
  /** Shown after a checkbox label, e.g. the privacy link. */
  after?: Child;
}

export interface FormSpec<T> {
  kind: 'comment' | 'wish';
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
}

let forms = 0;

export function makeForm<T>(kit: Kit, spec: FormSpec<T>): HTMLFormElement {
  const prefix = `f${++forms}`;
  const errors: Record<string, HTMLElement> = {};
  const status = h('p', { role: 'status', class: 'st' });
  const submit = h('button', { class: 'pr' }, spec.submit);
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': `${prefix}-t` },
    h('h3', { id: `${prefix}-t` }, spec.label),
    h('p', { class: 'hi' }, kit.t('requiredNote')),
    ...spec.fields.map((field) => row(field)),
    // The honeypot: people never see it, form-filling bots do.
    h('div', { class: 'hp' }, h('input', { name: 'hp', tabindex: -1, autocomplete: 'off' })),
    h('div', { class: 'ac' }, submit, ...(spec.actions ?? [])),
    status,
  );
  const guard = formGuard(kit.api, spec.kind);
  form.addEventListener('focusin', guard.start, { once: true });
  let busy = false;
  let lastBody = '';
  let key = '';
  let guardFields: Record<string, string> = {};

  function row(field: FieldSpec): HTMLElement {
    const id = `${prefix}-${field.name}`;
    const checkbox = field.type === 'checkbox';
    const error = h('p', { class: 'er', id: `${id}-e`, hidden: true });
    errors[field.name] = error;
    const hint = field.hint && h('p', { class: 'hi', id: `${id}-h` }, field.hint);
    const attrs = {
      id,
      name: field.name,
      autocomplete: field.autocomplete,
      'aria-required': field.required && 'true',
      'aria-describedby': `${hint ? `${id}-h ` : ''}${id}-e`,
    };
    const input = checkbox
      ? h('input', { ...attrs, type: 'checkbox', checked: field.value === true })
      : field.type === 'textarea'
        ? h('textarea', { ...attrs, rows: 5 })
        : h('input', { ...attrs, type: field.type ?? 'text' });
    if (!checkbox && typeof field.value === 'string') (input as HTMLInputElement).value = field.value;
    const label = h(
      'label',
      { for: id },
      field.label,
      field.required && h('span', { 'aria-hidden': 'true' }, ' *'),
    );
    return checkbox
      ? h('div', { class: 'fd ck' }, input, h('div', {}, label, field.after, hint, error))
      : h('div', { class: 'fd' }, label, hint, input, error);
  }

  function values(): Record<string, string | boolean> {
    const out: Record<string, string | boolean> = {};
    for (const el of form.elements as unknown as HTMLInputElement[]) {
      if (el.name) out[el.name] = el.type === 'checkbox' ? el.checked : el.value;
    }
    return out;
  }

  /** Shows each issue next to its field; issues about fields without an input go to the status line. */
  function show(issues: FieldError[], fallback: string): void {
    let first: HTMLElement | undefined;
    const general: string[] = [];
    for (const issue of issues) {
      const text = issue.message || kit.t(`e_${issue.code}`) || kit.t('e_invalid');
      const error = errors[issue.field];
      const input = form.elements.namedItem(issue.field) as HTMLElement | null;
      if (!error || !input) {
        general.push(text);
        continue;
      }
      error.textContent = text;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      first ??= input;
    }
    status.textContent = [fallback, ...general].join(' ');
    status.className = 'st bad';
    first?.focus();
  }

  function clear(): void {
    for (const [name, error] of Object.entries(errors)) {
      error.hidden = true;
      (form.elements.namedItem(name) as HTMLElement).removeAttribute('aria-invalid');
    }
    status.textContent = '';
    status.className = 'st';
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    clear();
    const all = values();
    const { local: _, ...input } = all;
    const parsed = safeParse(spec.schema, { ...input, ...spec.fixed });
    if (!parsed.success) return show(fieldIssues(parsed.issues), kit.t('check'));
    const content = JSON.stringify(parsed.output);
    busy = true;
    form.setAttribute('aria-busy', 'true');
    status.textContent = kit.t('sending');
    try {
      // A new submission gets a new key and fresh guard fields; sending the same thing again (a retry
      // after a failure) reuses both, so the server recognises it and stores it at most once.
      if (content !== lastBody) {
        key = randomId();
        guardFields = await guard.fields();
      }
      lastBody = content;
      const result = await spec.send({ ...(parsed.output as object), ...guardFields } as T, key);
      lastBody = '';
      for (const field of spec.fields) {
        const el = form.elements.namedItem(field.name) as HTMLInputElement;
        if (field.keep) continue;
        if (el.type === 'checkbox') el.checked = false;
        else el.value = '';
      }
      status.textContent = spec.done(result, all) ?? '';
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
