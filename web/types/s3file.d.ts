// Types for s3file.js (and s3file-django.js, which exports the same).

/** A presigned POST policy: where to send the file and which fields to echo before it. */
export interface Policy {
  url: string;
  fields: Record<string, string> | Array<[string, string]>;
  /** The form field of the file part (default "file"). */
  fileField?: string;
  /** django-s3file's folder signature, passed through to the results. */
  signature?: string;
}

/** One stored file. */
export interface UploadResult {
  file: File;
  input: string;
  key: string;
  etag: string;
  location: string;
  signature?: string;
}

/** Why one file was not stored. `code` is stable (e.g. "EntityTooLarge", "NetworkError",
 *  "Canceled", "FileTooLarge"); `message` is the sentence in the page's language. */
export interface FileError {
  file: File;
  input: string;
  code: string;
  message: string;
  detail?: string;
  status: number;
  limit?: number;
}

/** The rejection of upload(): every failed file, and the files of the batch that were stored. */
export class UploadError extends Error {
  readonly name: 'UploadError';
  readonly errors: FileError[];
  readonly results: UploadResult[];
}

/** The `detail` of progress events and onProgress: bytes and fractions of the file and batch. */
export interface ProgressDetail {
  batch: number;
  upload: number;
  file: File;
  state: string;
  loaded: number;
  total: number;
  progress: number;
  formLoaded: number;
  formTotal: number;
  formProgress: number;
  bytesPerSecond: number;
  /** Negative while unknown. */
  etaSeconds: number;
  attempt: number;
}

export interface UploadOptions {
  /** POSTed once per batch with {files: [{name, size, type, field}]}. */
  policyUrl?: string;
  /** One policy per file, in order (instead of policyUrl). */
  policies?: Policy[];
  /** The form field name sent with each file (default "file"). */
  field?: string;
  /** The name given to a Blob that is not a File (default, or when empty, "blob"). */
  name?: string;
  /** Page-wide number of uploads in flight; applies before the first upload. */
  concurrency?: number;
  /** Aborting cancels: upload() rejects with an UploadError, code "Canceled" per file not stored. */
  signal?: AbortSignal;
  onProgress?: (detail: ProgressDetail) => void;
  /**
   * Uppy Companion's multipart route (s3file-server: "/s3/multipart"): files from
   * multipartThreshold bytes go through S3 multipart (parts in parallel, each with Content-MD5,
   * resumed after a reload when the same file is chosen again).
   */
  multipartUrl?: string;
  /** Bytes from which a file goes through multipart (default 100 MiB). */
  multipartThreshold?: number;
}

/** Uploads a File, a Blob or a list of them; resolves with the results in order. */
export function upload(files: Blob | Iterable<Blob> | ArrayLike<Blob>, options?: UploadOptions): Promise<UploadResult[]>;

/** Adds or overrides sentences for a language ("de", "pt-BR"); keys as in web/i18n/messages.js. */
export function setMessages(lang: string, table: Record<string, string>): Record<string, string>;

/** Handles submits of forms with input.s3file or <s3-file> under `root` (s3file-django.js calls it). */
export function watchForms(root?: Document | HTMLElement): void;

/** The page's engine (loaded once; `true` switches the page to the multipart engine); mostly for tests and diagnostics. */
export function engine(multipart?: boolean): Promise<unknown>;
