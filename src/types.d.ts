declare module "*.css" { const text: string; export default text; }
declare module "*.mmdb" { const path: string; export default path; }
declare module "htmx.org/dist/*.js" { const text: string; export default text; }
declare module "*.ttf" { const path: string; export default path; }
