// The django-s3file drop-in: handles every form with input[type=file].s3file, now and later.
// One tag replaces django-s3file's script: <script type="module" src="s3file-django.js">.
import { watchForms } from './form.js';

export * from './s3file.js';

if (typeof document !== 'undefined') watchForms(document);
