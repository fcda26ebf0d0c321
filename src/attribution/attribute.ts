import { DAY_MS } from "../shared/clock";

export interface ClickForAttribution {
  id: string;
  programId: string;
  publisherId: string | null;
  createdAt: number;
  isBot: boolean;
}

export type AttributionReason =
  | "credited" | "no_click_sent" | "click_not_found" | "wrong_program" | "expired" | "bot_click" | "click_in_future"
  | "no_publisher";

export interface Attribution { clickId: string | null; publisherId: string | null; reason: AttributionReason }

/**
 * Last-click attribution. The click id the brand sends is the one in the
 * visitor's cookie/landing URL, which every new click overwrites, so it *is*
 * the last click. It credits its publisher when it belongs to this program,
 * was not a bot, and happened within the window: conversion time minus click
 * time <= window (inclusive to the millisecond). `now` is when the conversion
 * happened (a platform may say so); `receivedAt` when it reached us. A click
 * can only be "in the future" relative to receipt: a platform clock or a
 * zone-less timestamp a little behind the click must not unattribute a sale.
 */
export function attribute(input: {
  sentClickId: string | null;
  click: ClickForAttribution | null;
  programId: string;
  cookieWindowDays: number;
  now: number;
  receivedAt?: number;
}): Attribution {
  const { sentClickId, click, programId, cookieWindowDays, now } = input;
  const receivedAt = input.receivedAt ?? now;
  const none = (reason: AttributionReason, clickId: string | null = null): Attribution => ({ clickId, publisherId: null, reason });
  if (!sentClickId) return none("no_click_sent");
  if (!click) return none("click_not_found");
  if (click.programId !== programId) return none("wrong_program");
  if (click.createdAt > receivedAt) return none("click_in_future", click.id);
  if (now - click.createdAt > cookieWindowDays * DAY_MS) return none("expired", click.id);
  if (click.isBot) return none("bot_click", click.id);
  // A smart link without a publisher: a real click in the window that credits no one.
  if (!click.publisherId) return none("no_publisher", click.id);
  return { clickId: click.id, publisherId: click.publisherId, reason: "credited" };
}
