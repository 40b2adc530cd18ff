/** What the browser test reads off a rendered report page, measured in the page itself. */
import type { Page } from 'playwright-core';

export interface PageFacts {
  viewportWidth: number;
  pageScrollWidth: number;
  /** elements whose right edge passes the page's, outside any box that scrolls sideways */
  tooWide: string[];
  tables: { head: string; visible: boolean; width: number; height: number; boxWidth: number; boxOverflowX: string }[];
  numberCells: number;
  /** number cells (see below) whose text is not right-aligned */
  numbersNotRight: string[];
  /** the charts shown (a chart is drawn at three widths, and the page's CSS shows one) */
  charts: {
    title: string;
    width: number;
    height: number;
    left: number;
    right: number;
    /** the width it is drawn at (SVG units): width / viewBoxWidth is the scale of its text */
    viewBoxWidth: number;
    /** the content width of the section it is in */
    boxWidth: number;
    inScroller: boolean;
    /** x-axis labels (bar charts: one per bar) */
    bars: { title: string; width: number; height: number; left: number; right: number; cut: boolean; overflow: boolean }[];
  }[];
}

export function pageFacts(page: Page): Promise<PageFacts> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const vw = doc.clientWidth;
    const scrollsX = (e: Element) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
    const inScroller = (e: Element) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) if (scrollsX(p)) return p;
      return null;
    };
    const name = (e: Element) =>
      `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className : ''}: ${(e.textContent ?? '').trim().slice(0, 40)}`;
    const tooWide = [...document.body.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > vw + 0.5 && !inScroller(e))
      .map(name);
    const tables = [...document.querySelectorAll('table')].map((t) => {
      const r = t.getBoundingClientRect();
      const box = inScroller(t) ?? t.parentElement!;
      return {
        head: (t.querySelector('th')?.textContent ?? '').trim(),
        visible: t.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }),
        width: r.width,
        height: r.height,
        boxWidth: box.clientWidth,
        boxOverflowX: getComputedStyle(box).overflowX,
      };
    });
    const numeric = /^-?[\d,]+(\.\d+)?(e[-+]?\d+)?$/;
    // Every cell written from a number, and every number-like text in the model tables (deciles,
    // compare). Elsewhere such text can be a text value (min/max of a text id column, a seed in
    // the provenance list) and stays left-aligned as text.
    const looksNumeric = (td: Element) => numeric.test((td.textContent ?? '').trim());
    const cells = [...document.querySelectorAll('td')].filter(
      (td) => td.classList.contains('num') || (td.closest('table.model') && looksNumeric(td)),
    );
    const numbersNotRight = cells.filter((td) => getComputedStyle(td).textAlign !== 'right').map(name);
    const shown = [...document.querySelectorAll('svg')].filter((svg) => svg.checkVisibility({ checkVisibilityCSS: true }));
    const charts = shown.map((svg) => {
      const r = svg.getBoundingClientRect();
      const box = svg.closest('section')!;
      const pad = getComputedStyle(box);
      return {
        title: svg.querySelector(':scope > title')?.textContent ?? '',
        width: r.width,
        height: r.height,
        left: r.left,
        right: r.right,
        viewBoxWidth: svg.viewBox.baseVal.width,
        boxWidth: box.clientWidth - parseFloat(pad.paddingLeft) - parseFloat(pad.paddingRight),
        inScroller: inScroller(svg) !== null,
        bars: [...svg.querySelectorAll('rect.bar')].map((b) => {
          const br = b.getBoundingClientRect();
          return {
            title: b.querySelector('title')?.textContent ?? '',
            width: br.width,
            height: br.height,
            left: br.left,
            right: br.right,
            cut: b.classList.contains('clipped'),
            overflow: b.classList.contains('overflow'),
          };
        }),
      };
    });
    return { viewportWidth: vw, pageScrollWidth: doc.scrollWidth, tooWide, tables, numberCells: cells.length, numbersNotRight, charts };
  });
}
