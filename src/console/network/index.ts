import type { ConsoleRoute } from "../http";
import { adminApprovalRoutes } from "./admin-approvals";
import { adminPartyRoutes } from "./admin-parties";
import { adminProgramRoutes } from "./admin-programs";
import { adminSettingsRoutes } from "./admin-settings";
import { brandNetworkRoutes } from "./brand-pages";
import { publisherNetworkRoutes } from "./publisher-pages";

/** Network management (admin), the publisher's self-service pages and the brand's programs. */
export const networkRoutes: ConsoleRoute[] = [
  ...adminPartyRoutes, ...adminProgramRoutes, ...adminApprovalRoutes, ...adminSettingsRoutes, ...publisherNetworkRoutes, ...brandNetworkRoutes,
];
