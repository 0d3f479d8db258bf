import { serve } from "inngest/next";
import { functions, inngest } from "@/inngest";

// GET/POST/PUT /api/inngest — the Inngest serve endpoint (signature checked by the SDK in production).
export const { GET, POST, PUT } = serve({ client: inngest, functions });
