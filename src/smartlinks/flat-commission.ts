import { and, eq } from "drizzle-orm";
import type { Attribution } from "../attribution/attribute";
import type { CommissionTerms } from "../commissions/compute-commission";
import type { AppContext } from "../context";
import type { ConversionClick } from "../conversions/find-click";
import { fxRates } from "../db/schema";
import { Validation } from "../shared/errors";
import { convertMinor } from "../shared/money";

/**
 * The terms a conversion is paid on. A conversion of a smart-link click (in
 * its window, for its program) earns the rubric's flat commission as it was
 * when the visitor clicked — the same for every eligible program, so routing
 * never has a payout reason — converted into the program currency by the
 * rate table. Otherwise, or when that rubric set no flat commission: the
 * program's own terms.
 */
export async function commissionTerms(
  ctx: Pick<AppContext, "db" | "smart">, program: CommissionTerms & { currency: string },
  click: ConversionClick | null, attribution: Attribution,
): Promise<CommissionTerms> {
  if (!click?.smartLinkId || click.rubricVersion === null || attribution.clickId !== click.id) return program;
  if (attribution.reason !== "credited" && attribution.reason !== "no_publisher") return program;
  const flat = (await ctx.smart.rubricVersion(click.rubricVersion))?.flatCommission;
  if (!flat) return program;
  let minor = flat.minor;
  if (flat.currency !== program.currency) {
    const [rate] = await ctx.db.select().from(fxRates).where(and(eq(fxRates.base, flat.currency), eq(fxRates.quote, program.currency)));
    if (!rate) {
      throw new Validation({ commission: [`no exchange rate ${flat.currency}->${program.currency} for the smart-link flat commission; ask the network to add it`] });
    }
    minor = convertMinor(flat.minor, flat.currency, program.currency, rate.rate);
  }
  return { commissionType: "flat_cpa", commissionValue: minor, networkFeeBps: program.networkFeeBps };
}
