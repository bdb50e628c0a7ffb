const shownKeys = 8;

function describeObject(value: object): string {
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (value instanceof Promise) return 'a Promise (export the resolved value, or a factory: module:create())';
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an object with no keys';
  const listed = keys.slice(0, shownKeys).join(', ');
  return `an object with keys ${listed}${keys.length > shownKeys ? ', …' : ''}`;
}

/** What was found where an app was expected, in words for an error message. */
export function describeFoundValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'object') return describeObject(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return typeof value;
}
