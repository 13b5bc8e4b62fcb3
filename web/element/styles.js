// The element's own stylesheet, scoped to its shadow root. Pages restyle it through custom
// properties (--s3file-*) and ::part() names; `theme="light|dark"` pins a scheme, otherwise it
// follows prefers-color-scheme. Every interactive target is at least 24 px (WCAG 2.5.8).
const light = `--_accent: var(--s3file-accent, #0b57d0); --_error: var(--s3file-error, #b3261e);
  --_success: var(--s3file-success, #146c2e); --_text: var(--s3file-color, #1f1f1f);
  --_muted: var(--s3file-muted, #474747); --_border: var(--s3file-border, #8e918f);
  --_background: var(--s3file-background, #fff); --_track: var(--s3file-track, #dde3ea);
  --_drop: var(--s3file-drop-background, #e8f0fe); color-scheme: light;`;
const dark = `--_accent: var(--s3file-accent, #a8c7fa); --_error: var(--s3file-error, #f2b8b5);
  --_success: var(--s3file-success, #6dd58c); --_text: var(--s3file-color, #e3e3e3);
  --_muted: var(--s3file-muted, #c4c7c5); --_border: var(--s3file-border, #8e918f);
  --_background: var(--s3file-background, #1f1f1f); --_track: var(--s3file-track, #444746);
  --_drop: var(--s3file-drop-background, #0f2a4d); color-scheme: dark;`;

// Why some rules are as they are (comments here, not in the CSS the page downloads):
// - .file's contain, .group's content-visibility: a row's changes stay in the row, and groups
//   of rows out of view are not laid out or painted; with a thousand files, every frame's style
//   and layout for the whole list cost more than the uploads. Whole groups, not each row: with
//   a row each, every frame still laid out, checked for visibility and pre-painted every row
//   (5,000 rows: 22 ms a frame).
// - .list is plain block flow, rows spaced by their margin, not a grid with a gap: with a
//   thousand rows, a grid lays all of them out again whenever one row changes (167 ms of layout
//   in one 1,000-file submit; 86 ms as a block), and the block looks the same.
// - .many .fill, transition none: bars ease only in a short list (render() sets .many). With a
//   thousand small files, bars easing (the total's alone) kept frames drawn at 60 fps through
//   the uploads, each checking a thousand rows' visibility: 122 frames instead of 28 in one run.
// - @container (max-width: 30rem): narrow, a long status gets the row's full width, its buttons
//   go below it.
export const css = `
:host { display: block; container-type: inline-size; ${light} --_radius: var(--s3file-radius, 8px); --_gap: var(--s3file-gap, .5rem);
  color: var(--_text); font: inherit; }
:host([theme=dark]) { ${dark} }
@media (prefers-color-scheme: dark) { :host(:not([theme=light])) { ${dark} } }
[hidden] { display: none !important; }
.zone { display: flex; flex-wrap: wrap; align-items: center; gap: var(--_gap); padding: calc(var(--_gap) * 2);
  border: 2px dashed var(--_border); border-radius: var(--_radius); background: var(--_background); }
:host([dragover]) .zone { border-color: var(--_accent); background: var(--_drop); border-style: solid; }
::slotted(input[type=file]) { min-height: 24px; color: inherit; font: inherit; max-width: 100%; }
.hint { color: var(--_muted); }
.summary, .problems { margin: var(--_gap) 0 0; color: var(--_muted); }
.problems { color: var(--_error); font-weight: 600; }
.file { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: .25rem var(--_gap); align-items: center;
  margin-top: var(--_gap); padding: var(--_gap); border: 1px solid var(--_border); border-left-width: 4px; border-radius: var(--_radius);
  background: var(--_background);
  contain: layout paint style; }
.group { content-visibility: auto; }
.file[data-state=stored] { border-left-color: var(--_success); }
.file[data-state=failed], .file[data-state=refused] { border-left-color: var(--_error); }
.file[data-state=uploading], .file[data-state=retrying], .file[data-state=queued] { border-left-color: var(--_accent); }
.name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: 600; }
.size { color: var(--_muted); font-variant-numeric: tabular-nums; }
.bar { grid-column: 1 / -1; height: 6px; border-radius: 3px; background: var(--_track); overflow: hidden; }
.fill { height: 100%; background: var(--_accent); transform-origin: left; transform: scaleX(0); transition: transform .2s linear; }
.file[data-state=stored] .fill { background: var(--_success); }
.file[data-state=failed] .fill { background: var(--_error); }
.status { color: var(--_muted); font-variant-numeric: tabular-nums; }
.file[data-state=stored] .status { color: var(--_success); }
.file[data-state=failed] .status, .file[data-state=refused] .status { color: var(--_error); font-weight: 600; }
.actions { display: flex; gap: .25rem; justify-content: end; }
button { min-width: 24px; min-height: 32px; padding: 0 .75rem; font: inherit; font-size: .875rem; cursor: pointer;
  color: var(--_accent); background: transparent; border: 1px solid currentColor; border-radius: var(--_radius); }
button:hover { background: var(--_drop); }
button:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.total { display: grid; grid-template-columns: minmax(0, 1fr); gap: .25rem; margin-top: var(--_gap); }
.total .bar { height: 8px; }
.many .fill { transition: none; }
.total-text { color: var(--_muted); font-variant-numeric: tabular-nums; }
.total .all { justify-self: start; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
@container (max-width: 30rem) { .status { grid-column: 1 / -1; } .actions { grid-column: 1 / -1; } }
@media (prefers-reduced-motion: reduce) { .fill { transition: none; } }
`;
