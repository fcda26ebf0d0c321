import { adminConversionRoutes } from "./admin-conversion-routes";
import { adminUserRoutes } from "./admin-users";
import { auditRoutes } from "./audit-routes";
import { authRoutes } from "./auth-routes";
import type { ConsoleRoute } from "./http";
import { overviewRoutes } from "./overview-routes";
import { partyConversionRoutes } from "./party-conversion-routes";

/** Every console route (pages engineers: add your module's routes here and its links in nav.ts). */
export const consoleRoutes: ConsoleRoute[] = [...authRoutes, ...overviewRoutes, ...adminUserRoutes,
  ...adminConversionRoutes, ...partyConversionRoutes, ...auditRoutes];
