// happy-dom's Web Animations are partial (Fluent's dialog motion aborts in it). Without
// element.animate Fluent skips motion and shows dialogs at once, as with reduced motion.
for (const proto of [Element.prototype, HTMLElement.prototype, SVGElement.prototype])
  Object.defineProperty(proto, 'animate', { value: undefined, configurable: true, writable: true });
