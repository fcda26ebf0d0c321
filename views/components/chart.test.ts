import { describe, expect, test } from "bun:test";
import { barChart, chartSummary, niceStep } from "./chart";

describe("niceStep", () => {
  test.each([[0, 1], [3, 1], [4, 1], [5, 2], [8, 2], [9, 5], [20, 5], [21, 10], [40, 10], [41, 20], [1234, 500], [4000, 1000]])("%d -> %d", (v, want) => {
    expect(niceStep(v)).toBe(want);
    expect(niceStep(v) * 4).toBeGreaterThanOrEqual(v);
  });
});

describe("barChart", () => {
  const points = [{ label: "2026-11-01", value: 3 }, { label: "2026-11-02", value: 0 }, { label: "2026-11-03", value: 8 }];
  test("accessible inline SVG: role img, summary, a tooltip per bar, viewBox", () => {
    const svg = barChart({ title: "Clicks per day", points }).value;
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="Clicks per day, 2026-11-01 to 2026-11-03: total 11; highest 8 on 2026-11-03."');
    expect(svg).toContain('viewBox="0 0 420 190"');
    expect(svg.match(/<title>/g)!.length).toBe(3);
    expect(svg).toContain("<title>2026-11-02: 0</title>");
    expect(svg.match(/class="val"/g)!.length).toBe(2); // no bar for a zero day, only its hover area
    expect(svg).not.toContain("<script");
  });
  test("the tallest bar reaches the axis maximum's scale; labels escape", () => {
    const svg = barChart({ title: "<b>x</b>", points: [{ label: "<i>", value: 8 }], format: (v) => `${v} "u"` }).value;
    expect(svg).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(svg).toContain("<title>&lt;i&gt;: 8 &quot;u&quot;</title>");
    expect(svg).not.toContain("<i>");
  });
  test("summary when empty or all zero", () => {
    expect(chartSummary({ title: "Sales", points: [] })).toBe("Sales: no data.");
    expect(chartSummary({ title: "Sales", points: [{ label: "2026-11-01", value: 0 }] })).toBe("Sales, 2026-11-01 to 2026-11-01: none yet.");
  });
});
