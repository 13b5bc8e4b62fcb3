// <s3-file policy-url="/api/policy"><input type="file" name="doc" multiple></s3-file>
// Wraps a real light-DOM input, so labels, keyboard use, accept, required and the no-JavaScript
// fallback (a plain multipart post) keep working. Shows each file's progress and errors.
const STATUS = { 's3file:start': 'Uploading…', 's3file:retry': 'Retrying…',
                 's3file:success': 'Uploaded', 's3file:cancel': 'Canceled' };

export class S3FileElement extends HTMLElement {
  connectedCallback() {
    if (this.list) return;
    this.list = document.createElement('ul');
    this.list.className = 's3file-status';
    this.list.setAttribute('aria-live', 'polite');
    this.append(this.list);
    for (const type of ['s3file:start', 'progress', 's3file:retry', 's3file:success', 's3file:error', 's3file:cancel'])
      this.addEventListener(type, (event) => this.update(event));
    this.addEventListener('change', () => this.list.replaceChildren());
  }

  /** The wrapped file input. */
  get input() { return this.querySelector('input[type=file]'); }

  row(file) {
    let row = [...this.list.children].find((li) => li.file === file);
    if (!row) {
      row = document.createElement('li');
      row.file = file;
      const name = Object.assign(document.createElement('span'), { className: 's3file-name', textContent: file.name });
      const bar = Object.assign(document.createElement('progress'), { max: 1, value: 0 });
      bar.setAttribute('aria-label', `Upload of ${file.name}`);
      const note = Object.assign(document.createElement('span'), { className: 's3file-note' });
      row.append(name, bar, note);
      this.list.append(row);
    }
    return row;
  }

  update(event) {
    const d = event.detail;
    // Seed-style progress events carry currentFile; the others carry the engine's detail.
    const file = d.currentFile || d.file;
    if (!file) return;
    const [, bar, note] = this.row(file).children;
    if (event.type === 'progress') bar.value = d.currentFileProgress;
    else if (event.type === 's3file:success') bar.value = 1;
    if (event.type === 's3file:error') {
      note.textContent = d.error.message;
      note.className = 's3file-note s3file-error';
      note.setAttribute('role', 'alert');
    } else if (STATUS[event.type]) {
      note.textContent = STATUS[event.type];
      note.className = 's3file-note';
      note.removeAttribute('role');
    }
  }
}

if (!customElements.get('s3-file')) customElements.define('s3-file', S3FileElement);
