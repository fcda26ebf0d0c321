/**
 * Known bots and link-preview fetchers. They still get their redirect (a
 * preview must show the real page) but the click is flagged and never credited.
 */
const BOT_UA = /bot\b|bot\/|crawler|spider|crawl|slurp|facebookexternalhit|facebookcatalog|embedly|quora link preview|outbrain|pinterest|vkshare|w3c_validator|whatsapp|skypeuripreview|nuzzel|discordbot|slackbot|slack-imgproxy|telegrambot|twitterbot|linkedinbot|applebot|googlebot|bingpreview|yandex|baiduspider|duckduckbot|headlesschrome|phantomjs|python-requests|python-urllib|aiohttp|go-http-client|okhttp|curl\/|wget\/|libwww|httpclient|java\/|scrapy|preview|monitor|uptime|lighthouse|pagespeed/i;

export function detectBot(method: string, userAgent: string | null, headers: Headers): string | null {
  if (method === "HEAD") return "head_request";
  const purpose = headers.get("sec-purpose") ?? headers.get("purpose") ?? headers.get("x-purpose");
  if (purpose && /prefetch|preview/i.test(purpose)) return "prefetch";
  if (!userAgent || userAgent.trim() === "") return "no_user_agent";
  if (BOT_UA.test(userAgent)) return "bot_user_agent";
  return null;
}
