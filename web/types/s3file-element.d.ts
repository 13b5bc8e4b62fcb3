// Types for s3file-element.js: the library, and the <s3-file> element it defines.
export * from './s3file.js';

/**
 * <s3-file policy-url max-size min-size max-files max-total-size theme multipart-url
 * multipart-threshold> around a file input.
 */
export class S3FileElement extends HTMLElement {
  /** The wrapped light-DOM file input: the source of truth for the selection. */
  readonly input: HTMLInputElement | null;
  /** Adds files (as a drop or a paste does); a single-file input's selection is replaced. */
  add(files: File[]): void;
  /** Cancels the upload of `file`; it stays chosen, marked canceled. */
  cancelFile(file: File): void;
  /** Uploads `file` again after a failure or a cancel; nothing is submitted. */
  retryFile(file: File): void;
  /** Takes `file` out of the input's selection. */
  removeFile(file: File): void;
  /** Pauses the multipart upload of `file` (its stored parts stay); false when it cannot. */
  pauseFile(file: File): Promise<boolean>;
  /** Resumes a paused upload of `file`: only the missing parts are sent. */
  resumeFile(file: File): Promise<boolean>;
  /** Bytes from which a file goes through S3 multipart (`multipart-threshold`; default 100 MiB). */
  readonly multipartThreshold: number;
}

declare global {
  interface HTMLElementTagNameMap {
    's3-file': S3FileElement;
  }
}
