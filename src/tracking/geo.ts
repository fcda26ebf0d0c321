import { Reader } from "mmdb-lib";
import { isIPv4, isIPv6 } from "node:net";

// DB-IP lite mmdb records carry `country_code`; MaxMind-style ones `country.iso_code`.
type CountryRecord = { country_code?: string; country?: { iso_code?: string } };

/**
 * Offline IP -> country (DB-IP Country Lite, CC BY 4.0). Private and reserved
 * addresses have no record and return null.
 */
export class CountryLookup {
  private reader: Reader<any> | null;
  constructor(mmdb: Uint8Array | null) {
    this.reader = mmdb ? new Reader<any>(Buffer.from(mmdb.buffer, mmdb.byteOffset, mmdb.byteLength)) : null;
  }
  country(ip: string | null): string | null {
    if (!ip || !this.reader || (!isIPv4(ip) && !isIPv6(ip))) return null;
    try {
      const rec = this.reader.get(ip) as CountryRecord | null;
      const code = rec?.country_code ?? rec?.country?.iso_code;
      return code ? code.toUpperCase() : null;
    } catch {
      return null;
    }
  }
}

/** A country header from a trusted edge (e.g. CF-IPCountry); "XX"/"T1" mean unknown. */
export function countryFromHeader(value: string | null): string | null {
  if (!value) return null;
  const v = value.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(v) && v !== "XX" && v !== "T1" ? v : null;
}
