// <s3-file policy-url="/api/policy" max-size="10MB"><input type="file" name="doc" multiple></s3-file>
// Wraps a real light-DOM input: it stays the source of truth (labels, keyboard, `accept`,
// `required`, the no-JavaScript fallback post). Around it, in a shadow root: a drop zone, a row
// per chosen file (state, progress, cancel/retry/remove) and the total with speed and ETA.
// Uploads start when the form is submitted (web/form.js); restrictions are checked as soon as
// files are chosen, so a refused file never sends a byte and blocks the submit.
import { errorMessage, formatBytes, langOf, numberFormat, t } from '../i18n/messages.js';
import { cancelFile, storedResult, uploadFiles } from '../form.js';
import { engine } from '../engine.js';
import { checkFile } from '../restrictions.js';
import './messages.js';
import { markInvalid, setText } from '../messages.js';
import { parseSize } from './parse-size.js';
import { dropZone } from './dropzone.js';
import { css } from './styles.js';

// Pause is offered only for files that go through S3 multipart (their stored parts stay).
const BUTTONS = { ready: ['remove'], refused: ['remove'], queued: ['cancel'], uploading: ['pause', 'cancel'],
                  retrying: ['pause', 'cancel'], paused: ['resume', 'cancel'], stored: ['remove'],
                  failed: ['retry', 'remove'], canceled: ['retry', 'remove'] };
const ACTIVE = new Set(['queued', 'uploading', 'retrying', 'paused']);
// Rows per group: each group is skipped whole while out of view (styles.js), so a frame's
// layout, visibility checks and paint walk the groups and the rows of the one or two in view,
// not every row.
const GROUP = 40;
const STATES = { 's3file:start': 'uploading', progress: 'uploading', 's3file:retry': 'retrying', 's3file:success': 'stored',
                 's3file:error': 'failed', 's3file:cancel': 'canceled', 's3file:pause': 'paused', 's3file:resume': 'queued' };
/** "45 s", "3 min", "2 h" for an ETA. */
function formatSeconds(lang, seconds) {
  const [value, unit] = seconds < 90 ? [seconds, 'second'] : seconds < 5400 ? [seconds / 60, 'minute'] : [seconds / 3600, 'hour'];
  return numberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 0 }).format(Math.max(1, value));
}

/** The restrictions of a selection: each file's, then the count and the total. */
function check(files, limits) {
  const errors = files.map((file) => checkFile(file, limits)).filter(Boolean);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (!limits.multiple && files.length > 1) errors.push({ code: 'OneFileOnly' });
  else if (files.length > limits.maxFiles) errors.push({ code: 'TooManyFiles', count: files.length, limit: limits.maxFiles });
  if (total > limits.maxTotalSize) errors.push({ code: 'TotalTooLarge', total, limit: limits.maxTotalSize });
  return errors;
}

const sheet = typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype ? new CSSStyleSheet() : null;
sheet?.replaceSync(css);
let counter = 0;

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
const bar = (label) => {
  const node = el('div', { className: 'bar' }, el('div', { className: 'fill' }));
  node.setAttribute('role', 'progressbar');
  node.setAttribute('aria-label', label);
  node.setAttribute('aria-valuemin', '0');
  node.setAttribute('aria-valuemax', '100');
  return node;
};
const setBar = (node, fraction, text) => {
  node.firstChild.style.transform = `scaleX(${fraction})`;
  node.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  if (text) node.setAttribute('aria-valuetext', text);
};

export class S3FileElement extends HTMLElement {
  constructor() {
    super();
    this.entries = [];  // [{file, state, loaded, error, attempt, retryAt}] in the input's order
    this.byFile = new Map();  // the same entries by File
    this.speed = 0;
    this.milestone = '';
  }

  static get observedAttributes() { return ['dragover', 'max-size', 'min-size', 'max-files', 'max-total-size']; }

  /** Bytes from which a file goes through S3 multipart (`multipart-threshold`, e.g. "50MB"); default 100 MiB. */
  get multipartThreshold() {
    const value = parseSize(this.getAttribute('multipart-threshold'));
    return Number.isNaN(value) ? 104857600 : value;
  }

  attributeChangedCallback(name) {
    if (!this.shadowRoot) return;
    if (name === 'dragover') this.render();
    else this.select();
  }

  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    if (sheet) root.adoptedStyleSheets = [sheet];
    else root.append(el('style', { textContent: css }));
    this.hint = el('span', { className: 'hint' });
    this.summary = el('p', { className: 'summary', hidden: true });
    this.problems = el('p', { className: 'problems', hidden: true });
    // A list of groups of rows: the groups are generic containers, which the accessibility
    // tree leaves out, so assistive technology meets one list of every file.
    this.list = el('div', { className: 'list', hidden: true });
    this.list.setAttribute('role', 'list');
    this.totalBar = bar('');
    this.totalText = el('span', { className: 'total-text' });
    // Pause all / Resume all: shown while two or more files upload in parts.
    this.allButton = el('button', { type: 'button', className: 'all', hidden: true });
    this.allButton.addEventListener('click', () => this.pauseAll(this.allButton.dataset.action === 'pauseAll'));
    this.total = el('div', { className: 'total', hidden: true }, this.totalBar, this.totalText, this.allButton);
    this.polite = el('div', { className: 'sr' });
    this.assertive = el('div', { className: 'sr' });
    this.polite.setAttribute('aria-live', 'polite');
    this.assertive.setAttribute('aria-live', 'assertive');
    const zone = el('div', { className: 'zone' }, el('slot'), this.hint);
    root.append(zone, this.summary, this.problems, this.list, this.total, this.polite, this.assertive);
    for (const [node, part] of [[zone, 'dropzone'], [this.hint, 'hint'], [this.summary, 'summary'], [this.problems, 'problems'],
      [this.list, 'list'], [this.total, 'total'], [this.totalBar, 'progress total-progress'], [this.totalText, 'total-text'],
      [this.allButton, 'button pause-all-button']])
      node.setAttribute('part', part);
    // Errors for the input's aria-describedby: in the light DOM (IDs do not cross shadow roots), unslotted.
    this.described = el('div', { id: `s3file-described-${++counter}`, hidden: true });
    this.described.slot = 'described';
    this.append(this.described);
    // Events reach the element from its input; per-input `progress` does not bubble, so capture.
    for (const type of ['s3file:queued', 's3file:start', 'progress', 's3file:retry', 's3file:success', 's3file:error', 's3file:cancel',
      's3file:pause', 's3file:resume'])
      this.addEventListener(type, (event) => this.onUpload(event), true);
    this.addEventListener('change', (event) => event.target === this.input && this.select());
    dropZone(this, (files) => this.add(files));
    this.select();
  }

  /** The wrapped file input. */
  get input() { return this.querySelector('input[type=file]'); }

  /** The language of its sentences: its own or closest `lang` (HTMLElement#lang is only the attribute). */
  get language() { return langOf(this); }

  /** Limits from the attributes and the input (max-size, min-size, max-files, max-total-size, accept). */
  get limits() {
    const size = (name, otherwise) => {
      const value = parseSize(this.getAttribute(name));
      return Number.isNaN(value) ? otherwise : value;
    };
    const files = Number.parseInt(this.getAttribute('max-files'), 10);
    return { accept: this.input?.accept, multiple: this.input?.multiple, maxSize: size('max-size', Infinity),
      minSize: size('min-size', 0), maxTotalSize: size('max-total-size', Infinity), maxFiles: files >= 0 ? files : Infinity };
  }

  /** Adds dropped or pasted files to the selection (replaces it for a single-file input). */
  add(files) {
    const input = this.input;
    if (!input || input.matches(':disabled')) return;  // disabled itself or by its fieldset
    const same = (a, b) => a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
    const kept = input.multiple ? [...input.files] : [];
    this.setFiles([...kept, ...files.filter((file) => !kept.some((old) => same(old, file)))]);
  }

  /** Makes `files` the input's selection and tells the page, as a choice in the picker would. */
  setFiles(files) {
    const transfer = new DataTransfer();
    for (const file of files) transfer.items.add(file);
    this.input.files = transfer.files;
    this.input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    this.input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /** A new selection: one row per file, checked against the restrictions at once. */
  select() {
    const input = this.input;
    if (!input) return;
    const files = [...input.files];
    const old = new Map(this.entries.map((entry) => [entry.file, entry]));
    const errors = check(files, this.limits);
    this.entries = files.map((file) => {
      const refusal = errors.find((e) => e.file === file);
      if (refusal) return { file, state: 'refused', loaded: 0, error: refusal };
      const kept = old.get(file);
      if (kept && kept.state !== 'refused') return kept;
      return { file, state: storedResult(input, file) ? 'stored' : 'ready', loaded: storedResult(input, file) ? file.size : 0 };
    });
    this.byFile = new Map(this.entries.map((entry) => [entry.file, entry]));
    this.listErrors = errors.filter((e) => !e.file);
    const messages = errors.map((e) => errorMessage(this.language, e));
    input.setCustomValidity(messages.join('\n'));
    this.milestone = '';
    this.render();
  }

  entry(file) { return this.byFile.get(file); }

  onUpload(event) {
    if (event.type === 's3file:queued') {
      for (const file of event.detail.files) {
        const entry = this.entry(file);
        if (entry) Object.assign(entry, { state: 'queued', loaded: 0, error: null, dirty: true });
      }
      this.assertive.textContent = '';
      this.announce('started', { count: event.detail.files.length });
      // Drawn on the next frame, not now: the uploads' policy request goes first, and the
      // frame comes while it is on its way (a thousand rows took 35 ms to draw before it).
      return this.renderSoon(true);
    }
    // Progress carries the engine's detail as originalEvent; the other events carry it directly.
    const d = event.type === 'progress' ? event.detail.originalEvent?.detail : event.detail;
    const entry = d && this.entry(d.file);
    if (!entry) return;  // a file no longer chosen
    if (d.bytesPerSecond) this.speed = d.bytesPerSecond;
    entry.state = STATES[event.type];
    entry.dirty = true;
    entry.attempt = d.attempt;
    entry.upload = d.upload;
    // Paused or resumed, a multipart upload keeps the bytes of its stored parts.
    entry.loaded = entry.state === 'stored' ? entry.file.size : ['uploading', 'paused', 'queued'].includes(entry.state) ? d.loaded : 0;
    if (entry.state === 'failed') {
      entry.error = d.error;
      this.assertive.textContent += ` ${entry.file.name}: ${errorMessage(this.language, { ...d.error, file: entry.file })}`;
    }
    if (entry.state === 'retrying') {
      entry.retryAt = performance.now() + d.retryDelay;
      this.tick();
    }
    // The last upload to end is drawn at once: the form submits right after it, and a page that
    // stays (a form targeting a frame) must not show the view of a frame ago.
    if (!ACTIVE.has(entry.state) && !this.active()) return this.render(true);
    this.renderSoon();
  }

  /** True while any file is on its way. From the end: files end about in order, so one still
   *  on its way is near it (a scan from the start made each success look at every stored file). */
  active() {
    for (let i = this.entries.length; i--;) if (ACTIVE.has(this.entries[i].state)) return true;
    return false;
  }

  /** Upload events are drawn at most every 100 ms, on the next frame after that: a thousand small
   *  files send thousands of events, and restyling the list for each frame cost the element a
   *  fifth of its uploads' time. A hidden page, whose frames stop, still renders on the timer.
   *  `now`: on the next frame, without the 100 ms wait (the queued rows of a new batch). A
   *  draw takes at most ~16 ms of rows, and the next frame draws the rest: the thousands of rows
   *  a batch queues at once held the main thread in one task (5,000 rows: 133-135 ms). */
  renderSoon(now) {
    if (this.soon) return;
    const run = () => this.soon && this.render(true, 16);
    const wait = now ? 0 : Math.max(0, (this.drawnAt || 0) + 100 - performance.now());
    this.soon = { timer: setTimeout(() => {
      this.soon.frame = requestAnimationFrame(run);
      this.soon.timer = setTimeout(run, 100);
    }, wait) };
  }

  /** Counts down "retrying in N s" once a second while a retry waits. */
  tick() {
    clearTimeout(this.timer);
    if (!this.entries.some((entry) => entry.state === 'retrying')) return;
    this.timer = setTimeout(() => {
      this.render();
      this.tick();
    }, 1000);
  }

  announce(key, params) {
    if (this.milestone === key) return;
    this.milestone = key;
    this.polite.textContent = t(this.language, key, params);
  }

  statusText(entry, lang = this.language) {
    // Every byte is on its way but storage has not answered yet.
    if (entry.state === 'uploading' && entry.loaded >= entry.file.size) return t(lang, 'finishing');
    if (entry.state === 'uploading')
      return t(lang, 'uploading', { percent: numberFormat(lang, { style: 'percent' }).format(entry.loaded / (entry.file.size || 1)) });
    if (entry.state === 'retrying')
      return t(lang, 'retrying', { seconds: Math.max(0, Math.ceil((entry.retryAt - performance.now()) / 1000)), attempt: entry.attempt + 1 });
    if (entry.error && (entry.state === 'failed' || entry.state === 'refused'))
      return errorMessage(lang, { ...entry.error, file: entry.file });
    return t(lang, entry.state);
  }

  row(entry, lang = this.language) {
    if (!entry.row) {
      const name = entry.file.name;
      entry.row = el('div', { className: 'file' },
        el('span', { className: 'name', title: name, textContent: name }),
        el('span', { className: 'size', textContent: formatBytes(lang, entry.file.size) }),
        bar(t(lang, 'progressOf', { name })),
        el('span', { className: 'status' }),
        el('span', { className: 'actions' }));
      entry.row.setAttribute('role', 'listitem');
      const [nameNode, size, progress, status, actions] = entry.row.children;
      for (const [node, part] of [[nameNode, 'file-name'], [size, 'file-size'], [progress, 'progress file-progress'],
        [status, 'file-status'], [actions, 'actions']]) node.setAttribute('part', part);
    }
    const [, , progress, status, actions] = entry.row.children;
    entry.dirty = false;
    // Rows whose state, bytes and text are as last drawn are left alone: of a thousand, each
    // frame changes a handful.
    const text = this.statusText(entry, lang);
    const parts = this.inParts(entry.file);
    const drawn = `${entry.state} ${entry.loaded} ${text} ${parts}`;
    if (entry.drawn === drawn) return entry.row;
    entry.drawn = drawn;
    // What depends on the state alone is written when the state changes (each write restyles).
    if (entry.row.dataset.state !== entry.state) {
      entry.row.dataset.state = entry.state;
      entry.row.setAttribute('part', `file file-${entry.state}`);
      progress.hidden = !['queued', 'uploading', 'retrying', 'paused', 'stored'].includes(entry.state);
    }
    setBar(progress, entry.loaded / (entry.file.size || 1));
    setText(status, text);
    const wanted = BUTTONS[entry.state].filter((action) => action !== 'pause' || parts);
    if (actions.dataset.buttons !== wanted.join()) {
      const focused = this.shadowRoot.activeElement;
      actions.dataset.buttons = wanted.join();
      // Made once per row, action and language, and put back when wanted again: each made anew
      // was half the time of drawing a thousand rows (ready's Remove comes back once stored).
      const made = (entry.buttons ||= {});
      actions.replaceChildren(...wanted.map((action) => (made[`${lang} ${action}`] ||= this.button(entry, action, lang))));
      // A control that stays keeps the keyboard (putting it back dropped the focus); one that
      // disappears under it hands the focus to its row's next action.
      if (focused && this.shadowRoot.activeElement !== focused)
        (focused.isConnected ? focused : actions.firstChild || this.input)?.focus();
    }
    return entry.row;
  }

  button(entry, action, lang) {
    const name = entry.file.name;
    const node = el('button', { type: 'button', textContent: t(lang, action) });
    node.setAttribute('aria-label', t(lang, `${action}File`, { name }));
    node.setAttribute('part', `button ${action}-button`);
    // A double-click acts once: its second click would land on whatever moved under the pointer
    // (the next row's Remove, once this row is gone). Keys click with detail 0.
    node.addEventListener('click', (event) => event.detail < 2 && this[`${action}File`](entry.file));
    return node;
  }

  /** Cancels the upload of `file` (it stays chosen, marked canceled). */
  cancelFile(file) { cancelFile(this.input, file); }

  /** True when `file` goes through S3 multipart (a multipart-url, and at least multipart-threshold bytes). */
  inParts(file) { return this.hasAttribute('multipart-url') && file.size >= this.multipartThreshold; }

  /** Pauses the upload of `file`: its stored parts stay; resumeFile() sends the missing ones. */
  pauseFile(file) { return this.pause(file, true); }

  /** Resumes a paused upload of `file`. */
  resumeFile(file) { return this.pause(file, false); }

  /** Pauses (true) or resumes every upload that can: multipart files uploading, or paused. */
  pauseAll(on) {
    for (const entry of this.entries.filter((e) => (on ? this.pausable(e) : e.state === 'paused'))) this.pause(entry.file, on);
  }

  /** True while `entry`'s file uploads in parts (Pause applies). */
  pausable(entry) { return ['uploading', 'retrying'].includes(entry.state) && this.inParts(entry.file); }

  /** The engine's pause or resume for the upload of `file` (its id came with the upload's events). */
  async pause(file, on) {
    const upload = this.entry(file)?.upload;
    return !!upload && (await engine()).pause?.(upload, on);
  }

  /** Uploads `file` again after a failure or a cancel; nothing is submitted. */
  retryFile(file) {
    const entry = this.entry(file);
    if (!entry) return;
    Object.assign(entry, { state: 'queued', error: null, loaded: 0 });
    this.render();
    uploadFiles(this.input, [file]);
  }

  /** Takes `file` out of the input's selection (Element#remove() stays the DOM's). */
  removeFile(file) {
    const index = this.entries.findIndex((entry) => entry.file === file);
    this.setFiles([...this.input.files].filter((chosen) => chosen !== file));
    // Keyboard focus goes to the next row's first button, or back to the input.
    const next = this.entries[Math.min(index, this.entries.length - 1)]?.row?.querySelector('button');
    (next || this.input).focus();
  }

  /** partial: only rows whose upload sent events since they were drawn (upload events), for at
   *  most `budget` ms (the rest stay dirty, for the next frame). */
  render(partial = false, budget = Infinity) {
    if (this.soon) {
      cancelAnimationFrame(this.soon.frame);
      clearTimeout(this.soon.timer);
      this.soon = null;
    }
    this.drawnAt = performance.now();
    const lang = this.language;
    const entries = this.entries;
    setText(this.hint, t(lang, this.hasAttribute('dragover') ? 'dropActive' : 'drop'));
    this.list.hidden = !entries.length;
    // Bars ease only in a short list (styles.js: .many).
    for (const node of [this.list, this.total]) node.classList.toggle('many', entries.length > 20);
    const until = this.drawnAt + budget;
    let over = false;
    const rows = entries.map((entry) => (partial && entry.row && (!entry.dirty || (over ||= performance.now() > until))
      ? entry.row : this.row(entry, lang)));
    if (over) this.renderSoon(true);
    // Rows are placed again only when the selection changed: a removed node would lose the focus.
    if (rows.length !== this.rows?.length || rows.some((row, i) => this.rows[i] !== row)) {
      this.rows = rows;
      // Rows that stay keep the keyboard: moving one into a new group drops it to the page.
      const focused = this.shadowRoot.activeElement;
      // Rows of a group out of view are left out of the accessibility tree until drawn: each
      // says where it stands in the whole list.
      rows.forEach((row, i) => {
        row.setAttribute('aria-posinset', i + 1);
        row.setAttribute('aria-setsize', rows.length);
      });
      const groups = [];
      for (let i = 0; i < rows.length; i += GROUP) {
        const group = el('div', { className: 'group' }, ...rows.slice(i, i + GROUP));
        // Its height until first drawn (then the last drawn, `auto`): about a row's per row.
        group.style.containIntrinsicSize = `auto ${5 * group.children.length}rem`;
        groups.push(group);
      }
      this.list.replaceChildren(...groups);
      if (focused?.isConnected) focused.focus();
    }
    const counted = entries.filter((entry) => entry.state !== 'refused');
    const total = counted.reduce((sum, entry) => sum + entry.file.size, 0);
    const loaded = counted.reduce((sum, entry) => sum + entry.loaded, 0);
    this.summary.hidden = !entries.length;
    setText(this.summary, t(lang, 'filesChosen', { count: entries.length, size: formatBytes(lang, total) }));
    this.problems.hidden = !this.listErrors?.length;
    setText(this.problems, (this.listErrors || []).map((e) => errorMessage(lang, e)).join(' '));
    // The total: stored files keep counting after a failure; shown once anything moved.
    const started = entries.some((entry) => entry.state !== 'ready' && entry.state !== 'refused');
    this.total.hidden = !started || !counted.length;
    const fraction = total ? loaded / total : 1;
    const line = t(lang, 'totalLine', { loaded: formatBytes(lang, loaded), total: formatBytes(lang, total) });
    this.totalBar.setAttribute('aria-label', t(lang, 'total'));
    setBar(this.totalBar, fraction, line);
    const active = entries.some((entry) => ACTIVE.has(entry.state));
    // Speed and time left only while bytes move (not while every upload waits for a retry).
    const moving = entries.some((entry) => entry.state === 'uploading' && entry.loaded < entry.file.size);
    setText(this.totalText, moving && this.speed > 0 ? `${line} · ${t(lang, 'speedLine', {
      speed: formatBytes(lang, this.speed), eta: formatSeconds(lang, (total - loaded) / this.speed) })}` : line);
    const inParts = entries.filter((entry) => entry.state === 'paused' || this.pausable(entry));
    const all = inParts.some((entry) => entry.state !== 'paused') ? 'pauseAll' : 'resumeAll';
    this.allButton.hidden = inParts.length < 2;
    if (this.allButton.dataset.action !== all) {
      this.allButton.dataset.action = all;
      this.allButton.textContent = t(lang, all);
    }
    if (active && fraction >= 0.5) this.announce('halfway');
    const failed = entries.filter((entry) => entry.state === 'failed').length;
    if (!active && started && counted.every((entry) => entry.state === 'stored')) this.announce('done');
    else if (!active && failed) this.announce('failedCount', { count: failed });
    this.describe(entries, lang);
  }

  /** aria-invalid and aria-describedby on the input: one line per problem. */
  describe(entries, lang) {
    const input = this.input;
    if (!input) return;  // an element without its input yet (it may be added later)
    const lines = [...(this.listErrors || []).map((e) => errorMessage(lang, e)),
      ...entries.filter((entry) => entry.error && (entry.state === 'failed' || entry.state === 'refused'))
        .map((entry) => `${entry.file.name}: ${errorMessage(lang, { ...entry.error, file: entry.file })}`)];
    const text = lines.join('\n');
    if (text === this.describedText) return;  // as described already
    this.describedText = text;
    this.described.replaceChildren(...lines.map((line) => el('div', { textContent: line })));
    markInvalid(input, this.described.id, lines.length > 0);
  }
}

export function defineElement() {
  if (!customElements.get('s3-file')) customElements.define('s3-file', S3FileElement);
}
