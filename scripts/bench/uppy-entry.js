// Uppy 6 for the bench page (bundled by smallfiles.mjs with esbuild): @uppy/core and
// @uppy/aws-s3, no UI, as a page that uploads straight to S3 with Uppy would load them.
export { default as Uppy } from '@uppy/core';
export { default as AwsS3 } from '@uppy/aws-s3';
