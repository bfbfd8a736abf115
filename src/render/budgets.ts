// How big a document may get: bounds on template size, rendering steps, Markdown and the document model, so a
// pathological template (100 000 {{title}}, loops over loops) stops with a Chinese error instead of taking minutes and gigabytes.

/** Mustaches and blocks in all the templates together: Handlebars compiles about 1 000 a second on a busy machine (the built-in ones have about 160). */
export const MAX_TEMPLATE_STATEMENTS = 1000;
/** Mustaches and blocks evaluated while rendering one document (loops over loops); the example summary takes about 800. */
export const MAX_RENDER_STEPS = 100_000;
/** Characters of Markdown one document may come to (the example summary is about 10 000). */
export const MAX_MARKDOWN_CHARS = 2_000_000;
/** Blocks, runs and table cells of the document model (the example summary has about 1 500). */
export const MAX_DOCUMENT_NODES = 100_000;
