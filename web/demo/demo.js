// Demo page wiring: the form's progress bar.
const form = document.getElementById('element-form');
const bar = document.getElementById('element-progress');
form.addEventListener('progress', (event) => { bar.value = event.detail.progress; });
form.addEventListener('s3file:failed', () => { bar.value = 0; });
