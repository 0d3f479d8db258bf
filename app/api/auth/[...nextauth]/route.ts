// GET/POST /api/auth/* — Auth.js endpoints (session, csrf, callbacks, sign-out).
import { handlers } from "@/lib/auth/auth";

export const { GET, POST } = handlers;
