/** Publisher postbacks: endpoints, the in-transaction outbox writer, the dispatcher. */
export { createPostbackBody, listAttemptsQuery, updatePostbackBody } from "./bodies";
export { createPostback } from "./create-postback";
export { deletePostback } from "./delete-postback";
export { deliverDue, type DeliverResult } from "./dispatch";
export { OUTBOUND_EVENTS, type OutboundEvent } from "./events";
export { listAttempts, listPostbacks } from "./list-postbacks";
export { MACROS } from "./macros";
export { outboxWriter } from "./outbox-writer";
export { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./send";
export { updatePostback } from "./update-postback";
export { wakeOnConversions, type Waker } from "./wake";
