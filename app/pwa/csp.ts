// The Content Security Policy of the built lab: one definition, used by the <meta> tag in the built
// index.html and by `vite preview`'s response headers (app/pwa/vite-plugins.ts). Each source beyond
// 'self' is there because the e2e suite (e2e/hardening.spec.ts) saw the app need it.

const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  // xterm and mermaid write <style> elements at run time (theme colours, diagram styles).
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self'"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

/** The policy as a <meta http-equiv> can carry it (frame-ancestors is ignored there). */
export const CSP_META = DIRECTIVES.map(([k, v]) => `${k} ${v}`).join('; ');

/** The policy as an HTTP header, which also covers workers and framing. */
export const CSP_HEADER = `${CSP_META}; frame-ancestors 'none'`;
