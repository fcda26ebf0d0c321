import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";

/**
 * A small page-layout helper over pdf-lib with an embedded Unicode TTF
 * (DejaVu Sans: Latin, Cyrillic, Greek and more; license in fonts/LICENSE.txt),
 * so any party name prints. Standard PDF fonts cannot print "Łódź" or "Ремонт".
 */
let fonts: Promise<{ regular: Uint8Array; bold: Uint8Array }> | null = null;
function fontBytes() {
  return fonts ??= (async () => {
    if (typeof Bun !== "undefined") return (await import("./font-data.bun")).loadFontBytes();
    const { readFile } = await import("node:fs/promises"); // Deno and Node read them beside the module
    return {
      regular: new Uint8Array(await readFile(new URL("./fonts/DejaVuSans.ttf", import.meta.url))),
      bold: new Uint8Array(await readFile(new URL("./fonts/DejaVuSans-Bold.ttf", import.meta.url))),
    };
  })();
}

export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = 50;
export const INK = rgb(0.12, 0.13, 0.16);
export const MUTED = rgb(0.42, 0.45, 0.5);
export const RULE = rgb(0.82, 0.84, 0.87);
export const ACCENT = rgb(0.1, 0.34, 0.62);
export const SHADE = rgb(0.95, 0.96, 0.97);

export interface Column { title: string; width: number; align: "left" | "right" }

export class Doc {
  page!: PDFPage;
  y = 0;
  private constructor(readonly pdf: PDFDocument, readonly regular: PDFFont, readonly bold: PDFFont, private footer: string) {}

  static async create(title: string, footer: string): Promise<Doc> {
    const pdf = await PDFDocument.create();
    pdf.registerFontkit(fontkit);
    const bytes = await fontBytes();
    const regular = await pdf.embedFont(bytes.regular, { subset: true });
    const bold = await pdf.embedFont(bytes.bold, { subset: true });
    pdf.setTitle(title);
    pdf.setProducer("Lastclick");
    pdf.setCreator("Lastclick");
    const d = new Doc(pdf, regular, bold, footer);
    d.newPage();
    return d;
  }

  newPage() {
    this.page = this.pdf.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
  }

  /** Starts a new page when fewer than `needed` points are left above the footer. */
  ensure(needed: number) {
    if (this.y - needed < MARGIN + 40) this.newPage();
  }

  /** Cuts text to fit `width` at `size`, with an ellipsis. */
  fit(text: string, width: number, size: number, bold = false): string {
    const font = bold ? this.bold : this.regular;
    if (font.widthOfTextAtSize(text, size) <= width) return text;
    let s = text;
    while (s.length > 1 && font.widthOfTextAtSize(s + "…", size) > width) s = s.slice(0, -1);
    return s + "…";
  }

  text(s: string, x: number, y: number, o: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; align?: "left" | "right"; width?: number } = {}) {
    const size = o.size ?? 9.5;
    const font = o.bold ? this.bold : this.regular;
    const t = o.width ? this.fit(s, o.width, size, o.bold) : s;
    const dx = o.align === "right" ? -font.widthOfTextAtSize(t, size) : 0;
    this.page.drawText(t, { x: x + dx, y, size, font, color: o.color ?? INK });
  }

  /** Lines of text downwards from the current y. */
  lines(items: string[], x: number, o: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; width?: number; gap?: number } = {}) {
    const size = o.size ?? 9.5;
    for (const s of items) {
      this.text(s, x, this.y, { ...o, size });
      this.y -= size + (o.gap ?? 4);
    }
  }

  rule(y = this.y, color = RULE, thickness = 0.7) {
    this.page.drawLine({ start: { x: MARGIN, y }, end: { x: A4.width - MARGIN, y }, thickness, color });
  }

  /** A table: shaded header row, then rows; repeats the header on a new page. */
  table(columns: Column[], rows: string[][], o: { boldLast?: boolean } = {}) {
    const header = () => {
      this.page.drawRectangle({ x: MARGIN, y: this.y - 6, width: A4.width - 2 * MARGIN, height: 20, color: SHADE });
      this.cells(columns, columns.map((c) => c.title), { bold: true, color: MUTED, size: 8.5 });
      this.y -= 22;
    };
    header();
    rows.forEach((r, i) => {
      if (this.y < MARGIN + 70) { this.newPage(); header(); }
      this.cells(columns, r, { bold: o.boldLast && i === rows.length - 1 });
      this.y -= 8;
      this.rule(this.y + 2);
      this.y -= 10;
    });
  }

  private cells(columns: Column[], values: string[], o: { bold?: boolean; color?: ReturnType<typeof rgb>; size?: number }) {
    let x = MARGIN + 6;
    columns.forEach((c, k) => {
      const w = c.width - 8;
      this.text(values[k] ?? "", c.align === "right" ? x + w : x, this.y, { ...o, align: c.align, width: w });
      x += c.width;
    });
  }

  async bytes(): Promise<Uint8Array> {
    const pages = this.pdf.getPages();
    pages.forEach((p, i) => {
      p.drawLine({ start: { x: MARGIN, y: MARGIN + 14 }, end: { x: A4.width - MARGIN, y: MARGIN + 14 }, thickness: 0.5, color: RULE });
      p.drawText(this.fit(this.footer, A4.width - 2 * MARGIN - 60, 7), { x: MARGIN, y: MARGIN, size: 7, font: this.regular, color: MUTED });
      const n = `Page ${i + 1} of ${pages.length}`;
      p.drawText(n, { x: A4.width - MARGIN - this.regular.widthOfTextAtSize(n, 7), y: MARGIN, size: 7, font: this.regular, color: MUTED });
    });
    return this.pdf.save();
  }
}
