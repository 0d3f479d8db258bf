/** The price route's query schema lives with the API contract (shared with the OpenAPI document). */
export { priceQuerySchema } from "@/lib/api/schemas";
