import { adminConversionRoutes } from "./admin-conversion-routes";
import { adminUserRoutes } from "./admin-users";
import { auditRoutes } from "./audit-routes";
import { authRoutes } from "./auth-routes";
import type { ConsoleRoute } from "./http";
import { liveRoutes } from "./live";
import { networkRoutes } from "./network";
import { overviewRoutes } from "./overview-routes";
import { statsRoutes } from "./stats-routes";
import { partyConversionRoutes } from "./party-conversion-routes";
import { inboxRoutes } from "./inbox-routes";
import { integrationRoutes } from "./integration-routes";
import { keyRoutes } from "./key-routes";
import { postbackRoutes } from "./postback-routes";
import { smartLinkConsoleRoutes } from "./smartlink-routes";
import { settlementPageRoutes } from "./settlement-pages";

/** Every console route (pages engineers: add your module's routes here and its links in nav.ts). */
export const consoleRoutes: ConsoleRoute[] = [...authRoutes, ...overviewRoutes, ...adminUserRoutes, ...liveRoutes, ...statsRoutes,
  ...adminConversionRoutes, ...partyConversionRoutes, ...auditRoutes, ...networkRoutes,
  ...integrationRoutes, ...inboxRoutes, ...keyRoutes, ...postbackRoutes, ...smartLinkConsoleRoutes, ...settlementPageRoutes];
