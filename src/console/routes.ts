import { adminUserRoutes } from "./admin-users";
import { authRoutes } from "./auth-routes";
import type { ConsoleRoute } from "./http";
import { overviewRoutes } from "./overview-routes";
import { settlementPageRoutes } from "./settlement-pages";

/** Every console route (pages engineers: add your module's routes here and its links in nav.ts). */
export const consoleRoutes: ConsoleRoute[] = [...authRoutes, ...overviewRoutes, ...adminUserRoutes, ...settlementPageRoutes];
