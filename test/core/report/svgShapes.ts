/**
 * Reads back the shapes of a chart SVG that core/report/chart.ts wrote, for the geometry
 * tests: each element of a class with its numeric attributes and its text.
 */

/** One element: its tag, its attributes (numbers where they parse) and its text. */
export interface Shape {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly text: string;
  /** A numeric attribute (throws naming it when absent). */
  num(name: string): number;
}

/** Every element with `class="cls"`, in document order. */
export function shapes(svg: string, cls: string): Shape[] {
  const re = new RegExp(`<(\\w+) class="${cls}"([^>]*?)(?:/>|>([^<]*)</\\1>)`, "g");
  return [...svg.matchAll(re)].map((m) => {
    const attrs = Object.fromEntries(
      [...m[2].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]),
    );
    return {
      tag: m[1],
      attrs,
      text: m[3] ?? "",
      num(name: string) {
        const v = attrs[name];
        if (v === undefined) throw new Error(`<${m[1]} class="${cls}"> has no ${name}`);
        return Number(v);
      },
    };
  });
}

/** The plot frame: left, top, right and bottom edges. */
export function frameOf(svg: string): { left: number; top: number; right: number; bottom: number } {
  const [r] = shapes(svg, "frame");
  return {
    left: r.num("x"),
    top: r.num("y"),
    right: r.num("x") + r.num("width"),
    bottom: r.num("y") + r.num("height"),
  };
}

/** Every point of every series polyline and dot, as [x, y]. */
export function seriesPoints(svg: string): [number, number][] {
  return [
    ...shapes(svg, "series").flatMap((p) =>
      p.attrs.points.split(" ").map((xy) => xy.split(",").map(Number) as [number, number]),
    ),
    ...shapes(svg, "series-point").map((c) => [c.num("cx"), c.num("cy")] as [number, number]),
  ];
}
