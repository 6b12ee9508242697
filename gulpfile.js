// Builds dist/: `clean` first (a file whose source was moved or deleted must not be shipped), then tsc, then
// `build:icons` copies node and credential icons (and the codex JSON) into dist, beside the compiled files.
const fs = require('node:fs');
const { src, dest, task } = require('gulp');

task('clean', (done) => {
	fs.rmSync('dist', { recursive: true, force: true });
	done();
});

task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist')),
);
