/**
 * Batch orders: many receivers in one action, each line a normal order through lib/orders (see
 * ./create for the rules). This file only re-exports, for the surfaces.
 */
export type { Batch, BatchLine, BatchLineStatus } from "@/db/schema";
export {
  checkLine,
  createBatch,
  lineErrorCode,
  lineOrderKey,
  placeBatch,
  resumeUnplacedBatches,
  setBatchMessage,
} from "./create";
export { MAX_LIST_CHARS, parseBatchText, type RawBatchLine } from "./parse";
export { type BatchPreview, type PreviewLine, previewBatch } from "./preview";
export {
  type BatchDetail,
  type BatchLineDetail,
  batchIdsOfOrders,
  countBatches,
  findBotBatchOfOrder,
  getBatch,
  lineShownStatus,
  listBatches,
} from "./read";
