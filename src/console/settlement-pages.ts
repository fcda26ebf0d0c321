import type { ConsoleRoute } from "./http";
import { invoiceRoutes } from "./invoice-routes";
import { payoutRoutes } from "./payout-routes";
import { publisherPayoutRoutes } from "./publisher-payout-routes";
import { reconciliationRoutes } from "./reconciliation-routes";
import { settlementRoutes } from "./settlement-routes";

/** Issue 8's console pages: settlement closes, payouts, invoices, reconciliation; brand invoices; publisher payouts. */
export const settlementPageRoutes: ConsoleRoute[] = [...settlementRoutes, ...payoutRoutes, ...invoiceRoutes, ...reconciliationRoutes, ...publisherPayoutRoutes];
