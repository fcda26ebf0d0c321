import type { Device } from "./attributes";

const TABLET = /iPad|Tablet|PlayBook|Silk|Kindle|Android(?!.*Mobile)/i;
const MOBILE = /Mobi|iPhone|iPod|Android|BlackBerry|Opera Mini|IEMobile|Windows Phone/i;

/** The visitor's device class from the User-Agent; null when there is none to read. */
export function deviceOf(userAgent: string | null): Device | null {
  if (!userAgent) return null;
  if (TABLET.test(userAgent)) return "tablet";
  if (MOBILE.test(userAgent)) return "mobile";
  return "desktop";
}
