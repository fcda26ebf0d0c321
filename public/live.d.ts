/** public/live.js is embedded as text (see src/app.ts). */
declare const text: string;
export default text;
