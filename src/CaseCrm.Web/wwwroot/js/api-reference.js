// The API reference page (/scalar, ADR 0029), loaded before Scalar's viewer. The Zod library inside the viewer probes
// whether it may compile code (`Function("")`), which the page's Content-Security-Policy refuses (no 'unsafe-eval') and
// reports as a violation; in jitless mode it does not ask.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
