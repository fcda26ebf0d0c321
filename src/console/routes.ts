import { adminUserRoutes } from "./admin-users";
import { authRoutes } from "./auth-routes";
import type { ConsoleRoute } from "./http";
import { inboxRoutes } from "./inbox-routes";
import { integrationRoutes } from "./integration-routes";
import { keyRoutes } from "./key-routes";
import { overviewRoutes } from "./overview-routes";
import { postbackRoutes } from "./postback-routes";
import { smartLinkConsoleRoutes } from "./smartlink-routes";

/** Every console route (pages engineers: add your module's routes here and its links in nav.ts). */
export const consoleRoutes: ConsoleRoute[] = [...authRoutes, ...overviewRoutes, ...adminUserRoutes,
  ...integrationRoutes, ...inboxRoutes, ...keyRoutes, ...postbackRoutes, ...smartLinkConsoleRoutes];
