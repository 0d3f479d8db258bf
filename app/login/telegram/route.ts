import { safeNext } from "../_next";

export const dynamic = "force-dynamic";

// GET /login/telegram — formerly the Login Widget's redirect target, which signed in whoever's
// signed fields were in the URL (a link could sign a visitor into someone else's account). Sign-in
// is now a same-origin POST from the sign-in page with this browser's nonce (app/login/actions):
// this only sends the visitor to the sign-in page, signing nobody in.
export async function GET(req: Request) {
  const q = new URL(req.url).searchParams;
  const next = safeNext(q.get("next"));
  const to = new URL("/login", "http://app.invalid");
  if (next !== "/dashboard") to.searchParams.set("next", next);
  return new Response(null, {
    status: 303,
    headers: { location: to.pathname + to.search, "cache-control": "no-store" },
  });
}
