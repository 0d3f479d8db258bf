import { z } from "zod";

export const priceQuerySchema = z.object({
  energy: z
    .string({ error: "Energy is required." })
    .regex(/^\d{1,12}$/, "Energy must be a positive whole number."),
  duration: z.string({ error: "Duration is required." }).min(1, "Duration is required.").max(8),
});
