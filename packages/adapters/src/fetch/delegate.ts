/**
 * Gives `light.prototype` every member of `native.prototype` it does not define itself, each one
 * forwarded to the real object `toNative(this)` builds (once), then puts `native.prototype` behind
 * it so that `instanceof` holds. Shared by LightRequest and LightResponse: the real Request or
 * Response is built only when the app reaches past the few fields the light one keeps.
 */
export function delegateToNative<Light extends object, Native extends object>(
  light: { readonly prototype: Light },
  native: { readonly prototype: Native },
  toNative: (value: Light) => Native,
): void {
  const own = new Set(Object.getOwnPropertyNames(light.prototype));
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(native.prototype))) {
    if (own.has(name) || name === 'constructor') continue;
    if (typeof descriptor.value === 'function') {
      const method = descriptor.value as (...args: unknown[]) => unknown;
      Object.defineProperty(light.prototype, name, {
        value(this: Light, ...args: unknown[]) {
          return method.apply(toNative(this), args);
        },
        configurable: true,
        writable: true,
      });
    } else if (descriptor.get !== undefined) {
      Object.defineProperty(light.prototype, name, {
        get(this: Light) {
          return Reflect.get(native.prototype, name, toNative(this)) as unknown;
        },
        configurable: true,
      });
    }
  }
  Object.setPrototypeOf(light.prototype, native.prototype);
}
