// Many small files through the two form integrations (issue 11's target 1: "also time <s3-file>
// and the drop-in for the same files"), for smallfiles.mjs's side-by-side rounds:
// - `element`: <s3-file policy-url="/api/policy"> around an <input type=file multiple> in a form;
// - `dropin`: the django-s3file drop-in, with the input exactly as the server renders it for
//   Django's widget (/form: input.s3file with data-url, data-fields-* and data-s3f-signature —
//   the policy comes with the page, one signed folder per input).
// Both upload when the form is submitted and then submit it natively, once, with the keys
// (web/form.js). The clock runs from requestSubmit() to that final submission, which the page
// intercepts. The files are chosen (and the element's rows drawn) before the clock starts, as a
// user chooses files before pressing Save. Each run gets a new form: a form's session remembers
// what it stored and would not upload the same File objects again.

/** Seconds from submit to the final native submission; throws on any upload error. */
export function runForm(page, method, count, size) {
  return page.evaluate(async ({ method, count, size }) => {
    const made = (window.benchFiles ||= {});  // shared with the other contenders (smallfiles.mjs)
    if (!made[size] || made[size].length < count) {
      const bytes = new Uint8Array(size).fill(97);
      made[size] = Array.from({ length: count }, (_, i) => new File([bytes], `f${i}.txt`, { type: 'text/plain' }));
    }
    const files = made[size].slice(0, count);
    await import('/s3file-element.js');  // defines <s3-file>; includes the drop-in (watchForms(document))
    const form = Object.assign(document.createElement('form'), { method: 'post', action: '/submit', enctype: 'multipart/form-data' });
    let input;
    if (method === 'element') {
      const host = document.createElement('s3-file');
      host.setAttribute('policy-url', '/api/policy');
      input = Object.assign(document.createElement('input'), { type: 'file', name: 'files', multiple: true });
      host.append(input);
      form.append(host);
    } else {
      window.benchDropinMarkup ||= new DOMParser().parseFromString(await (await fetch('/form')).text(), 'text/html')
        .getElementById('id_multiple_file').outerHTML;
      form.innerHTML = window.benchDropinMarkup;
      input = form.querySelector('input');
      input.removeAttribute('id');
    }
    const name = input.name;  // the drop-in takes the name off the file input while it submits
    const button = Object.assign(document.createElement('button'), { type: 'submit', name: 'save', value: 'save' });
    form.append(button);
    document.body.append(form);
    // Chosen as the picker chooses: the input's FileList, then input and change.
    const transfer = new DataTransfer();
    for (const file of files) transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    // The drop-in cancels the user's submit and later submits natively; only that last submit
    // event reaches window (after the drop-in's listener on document) not cancelled.
    let onSubmit;
    const submitted = new Promise((resolve, reject) => {
      onSubmit = (event) => {
        if (event.target !== form || event.defaultPrevented) return;
        event.preventDefault();  // stay on the page
        resolve({ at: performance.now(), keys: new FormData(form, event.submitter).getAll(name).length });
      };
      form.addEventListener('s3file:error', (event) => reject(new Error(`${method}: ${event.detail?.error?.message || 'upload error'}`)));
    });
    addEventListener('submit', onSubmit);
    const started = performance.now();
    form.requestSubmit(button);
    try {
      const { at, keys } = await submitted;
      if (keys !== count) throw new Error(`${method}: the form carried ${keys} keys for ${count} files`);
      return (at - started) / 1000;
    } finally {
      removeEventListener('submit', onSubmit);
      form.remove();
    }
  }, { method, count, size });
}
