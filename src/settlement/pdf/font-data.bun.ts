// Bun-only: the DejaVu Sans TTFs as embedded files (bundled into the single binary by `bun build --compile`).
import regularPath from "./fonts/DejaVuSans.ttf" with { type: "file" };
import boldPath from "./fonts/DejaVuSans-Bold.ttf" with { type: "file" };

export async function loadFontBytes(): Promise<{ regular: Uint8Array; bold: Uint8Array }> {
  return {
    regular: new Uint8Array(await Bun.file(regularPath).arrayBuffer()),
    bold: new Uint8Array(await Bun.file(boldPath).arrayBuffer()),
  };
}
