/** The shapes the error log is written in: Gunicorn's text lines, or one JSON object per line. */
export const logFormats = ['text', 'json'] as const;
export type LogFormat = (typeof logFormats)[number];
