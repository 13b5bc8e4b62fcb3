// Files from a drop (folders walked where the browser exposes them) or a paste.

/** Every file of a directory entry, depth first (readEntries answers in pages). */
async function walk(entry) {
  if (entry.isFile) return [await new Promise((resolve, reject) => entry.file(resolve, reject))];
  const reader = entry.createReader();
  const files = [];
  for (;;) {
    const page = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!page.length) return files;
    for (const child of page) files.push(...await walk(child));
  }
}

/** The files a DataTransfer carries; dropped folders contribute the files inside them. */
export async function filesOf(transfer) {
  // Entries must be taken while the event runs; reading them may finish later.
  const entries = [...(transfer.items || [])].filter((item) => item.kind === 'file')
    .map((item) => [item.webkitGetAsEntry?.(), item.getAsFile()]);
  if (!entries.some(([entry]) => entry?.isDirectory)) return [...transfer.files];
  const lists = await Promise.all(entries.map(([entry, file]) => (entry ? walk(entry).catch(() => []) : [file])));
  return lists.flat().filter(Boolean);
}

/** Calls `onFiles(files)` for drops and pastes on `host`; sets `dragover` while files hover. */
export function dropZone(host, onFiles) {
  let depth = 0;  // dragenter/leave fire for every child crossed
  const hasFiles = (event) => [...(event.dataTransfer?.types || [])].includes('Files');
  const over = (on) => host.toggleAttribute('dragover', on);
  host.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    depth += 1;
    over(true);
  });
  host.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) over(false);
  });
  host.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();  // allows the drop
    event.dataTransfer.dropEffect = 'copy';
  });
  host.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();  // the browser would otherwise open the file
    depth = 0;
    over(false);
    filesOf(event.dataTransfer).then((files) => files.length && onFiles(files));
  });
  host.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files || [])];
    if (!files.length) return;
    event.preventDefault();
    onFiles(files);
  });
}
