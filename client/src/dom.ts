/**
 * A tiny element builder. Text always goes in as text nodes, never as markup, so anything a
 * player typed (names, chat, rationales) can only ever show as text.
 */
export type Child = Node | string | number | null | undefined | false;
type Handler = (e: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function setAttrs(el: Element, attrs: Attrs): void {
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'function') {
      el.addEventListener(key.replace(/^on/, ''), value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else if (value !== false && value !== null && value !== undefined) {
      el.setAttribute(key, String(value));
    }
  }
}

export function append(el: Node, children: readonly (Child | readonly Child[])[]): void {
  for (const c of children) {
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else if (c !== null && c !== undefined && c !== false) el.appendChild(document.createTextNode(String(c)));
  }
}

/**
 * Replaces an element's children, keeping focus on the control with the same `data-key` if it had
 * it. When that control is gone or disabled (a button that did its job), focus stays in the
 * element instead of falling back to the top of the page, where keyboard users lose their place.
 */
export function replaceChildren(el: HTMLElement, ...children: (Child | readonly Child[])[]): void {
  const active = document.activeElement;
  const inside = active !== null && active !== el && el.contains(active);
  const key = inside ? active.getAttribute('data-key') : null;
  el.replaceChildren();
  append(el, children);
  if (!inside) return;
  const again = key ? el.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`) : null;
  // Without scrolling: an update must not pull the page back to where the person last clicked.
  if (again && !(again as HTMLButtonElement).disabled) again.focus({ preventScroll: true });
  else focusQuietly(el, true);
}

/** Focuses an element that is not a control (a region, a heading) without adding it to the tab order. */
export function focusQuietly(el: HTMLElement, preventScroll = false): void {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll });
}

/** Says something to screen-reader users through the page's polite live region. */
export function announce(text: string): void {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A new text node in a fresh task is what makes screen readers read a repeated message again.
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** A table head of column headers, each scoped to its column for screen readers. */
export function tableHead(...columns: string[]): HTMLTableSectionElement {
  return h(
    'thead',
    null,
    h(
      'tr',
      null,
      columns.map((c) => h('th', { scope: 'col' }, c)),
    ),
  );
}

/**
 * Says how many characters are left once a field nears its limit: the browser stops the typing
 * (or cuts a paste) at `maxlength` without a word. Returns the hint element to place near it.
 */
export function lengthHint(input: HTMLInputElement | HTMLTextAreaElement, max: number): HTMLElement {
  const hint = h('span', { class: 'muted length-hint', 'aria-live': 'polite' });
  const show = () => {
    const left = max - input.value.length;
    hint.textContent =
      left > max * 0.2
        ? ''
        : left === 0
          ? 'Limit reached.'
          : `${left} character${left === 1 ? '' : 's'} left.`;
  };
  input.addEventListener('input', show);
  // Cleared by the page (a sent message) without an input event: look again then.
  input.addEventListener('focus', show);
  return hint;
}
