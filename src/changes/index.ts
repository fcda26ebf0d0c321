export { ChangeFeed, type ChangeFilter, type FeedEvent, type FeedListener } from "./feed";
export { changeFeedWriter, guardedChange, insertChange, type ChangeInput } from "./write-change";
export { pruneChanges } from "./prune-changes";
export { reactToChanges } from "./react";
