declare module "*.css" { const text: string; export default text; }
declare module "*.mmdb" { const path: string; export default path; }
declare module "htmx.org/dist/*.js" { const text: string; export default text; }
declare module "*.ttf" { const path: string; export default path; }
declare module "qrcode" {
  export function toString(text: string, options?: { type?: "svg" | "utf8" | "terminal"; margin?: number; width?: number; errorCorrectionLevel?: "L" | "M" | "Q" | "H"; color?: { dark?: string; light?: string } }): Promise<string>;
}
