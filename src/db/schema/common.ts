import { integer } from "drizzle-orm/sqlite-core";
/** Epoch milliseconds; every timestamp column uses this. */
export const ms = (name: string) => integer(name);
