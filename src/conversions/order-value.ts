import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { fxRates } from "../db/schema";
import { Validation } from "../shared/errors";
import { convertMinor, normalizeCurrency, parseMoneyToMinor } from "../shared/money";
import { moneyField } from "../shared/validators";

export interface OrderValue { orderValueMinor: number; orderCurrency: string; programValueMinor: number; fxRate: string | null }

/**
 * Parses the sent amount exactly in its own currency, then converts it into
 * the program currency with the admin rate table. No rate -> a clear 422,
 * never a guess.
 */
export async function resolveOrderValue(
  db: Db, programCurrency: string, value: string | number, currencyText: string,
): Promise<OrderValue> {
  const orderCurrency = normalizeCurrency(currencyText);
  if (!orderCurrency) throw new Validation({ order_currency: [`"${currencyText}" is not an ISO 4217 currency code`] });
  const orderValueMinor = moneyField("order_value", () => parseMoneyToMinor(value, orderCurrency));
  if (orderCurrency === programCurrency) return { orderValueMinor, orderCurrency, programValueMinor: orderValueMinor, fxRate: null };
  const [rate] = await db.select().from(fxRates).where(and(eq(fxRates.base, orderCurrency), eq(fxRates.quote, programCurrency)));
  if (!rate) {
    throw new Validation({
      order_currency: [`no exchange rate ${orderCurrency}->${programCurrency}; send ${programCurrency} or ask the network to add a rate`],
    });
  }
  const programValueMinor = moneyField("order_value", () => convertMinor(orderValueMinor, orderCurrency, programCurrency, rate.rate));
  return { orderValueMinor, orderCurrency, programValueMinor, fxRate: rate.rate };
}
