import { afterEach, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import { freshProductionSecrets } from "@/lib/security/testing";
import { signInRedirect } from "./auth.config";

/** Auth.js's redirect callback: X-Forwarded-Host (or Host) cannot steer a sign-in elsewhere. */
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  reloadEnv();
});

describe("sign-in redirects", () => {
  it("in production they go to APP_URL's origin, whatever host the request named", () => {
    Object.assign(process.env, {
      ...freshProductionSecrets(),
      NODE_ENV: "production",
      APP_URL: "https://energy.example",
    });
    reloadEnv();
    // Auth.js's baseUrl comes from X-Forwarded-Host: here an attacker's
    expect(signInRedirect("/dashboard", "https://evil.example")).toBe("https://energy.example/dashboard");
    expect(signInRedirect("https://evil.example/topup?x=1", "https://evil.example")).toBe(
      "https://energy.example/topup?x=1",
    );
    expect(signInRedirect("//evil.example/x", "https://evil.example")).toBe("https://energy.example/x");
  });

  it("elsewhere they stay on the request's own origin", () => {
    expect(signInRedirect("/orders", "http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000/orders");
    expect(signInRedirect("https://evil.example/x", "http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000/x");
  });
});
