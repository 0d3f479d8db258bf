import { openApiDocument, SIGNATURE_RECIPE } from "@/lib/api/openapi";
import { apiErrorCodes, apiErrorDescriptions } from "@/lib/api/schemas";
import { env } from "@/lib/env";
import { getRequestLocale } from "@/lib/i18n/server";

export const dynamic = "force-dynamic";

type Param = {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: { type?: string };
};
type Op = {
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: Param[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { description: string }>;
};
type Schema = {
  properties?: Record<string, { type?: string | string[]; description?: string }>;
  required?: string[];
};

const VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from "node:crypto";

// rawBody: the request body exactly as received (a string), before JSON.parse
export function verifyTehCallback(secret, headers, rawBody) {
  const ts = headers["x-teh-timestamp"];
  const sig = headers["x-teh-signature"] ?? "";
  if (!/^\\d+$/.test(ts ?? "") || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const expected = "v1=" + createHmac("sha256", secret).update(ts + "." + rawBody).digest("hex");
  return expected.length === sig.length && timingSafeEqual(Buffer.from(expected), Buffer.from(sig));
}`;

/**
 * Readable API reference rendered from the same OpenAPI document served at /api/v1/openapi.json.
 * Public, like the document itself: an integrator reads it before having an account.
 */
export default async function ApiDocsPage() {
  const { t: a } = await getRequestLocale();
  const doc = openApiDocument() as unknown as {
    paths: Record<string, Record<string, Op>>;
    components: { schemas: Record<string, Schema> };
  };
  const base = `${env.APP_URL.replace(/\/$/, "")}/api/v1`;
  const schemaOf = (ref?: string) => (ref ? doc.components.schemas[ref.split("/").pop()!] : undefined);
  return (
    <article className="space-y-8">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold">{a("docs-title")}</h1>
        <p className="text-slate-600">{a("docs-intro", { base })}</p>
        <a href="/api/v1/openapi.json" className="text-brand-700 underline">
          {a("docs-openapi")}
        </a>
      </header>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{a("docs-auth-title")}</h2>
        <p>{a("docs-auth-body")}</p>
      </section>

      <section className="space-y-4">
        <h2 className="text-lg font-semibold">{a("docs-endpoints")}</h2>
        {Object.entries(doc.paths).flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => {
            const body = schemaOf(op.requestBody?.content["application/json"]?.schema.$ref);
            return (
              <div
                key={`${method} ${path}`}
                className="space-y-2 rounded-lg border border-slate-200 bg-(--p-card) p-4"
              >
                <h3 className="font-mono font-semibold">
                  {method.toUpperCase()} /api/v1{path}
                  {!op.security && (
                    <span className="ml-2 text-xs font-normal text-emerald-700">{a("docs-public")}</span>
                  )}
                </h3>
                {op.summary && <p className="font-medium">{op.summary}</p>}
                {op.description && <p className="text-sm text-slate-600">{op.description}</p>}
                {op.parameters && op.parameters.length > 0 && (
                  <div>
                    <p className="text-sm font-medium">{a("docs-params")}</p>
                    <ul className="text-sm">
                      {op.parameters.map((p) => (
                        <li key={`${p.in}:${p.name}`}>
                          <code>{p.name}</code> <span className="text-slate-500">({p.in})</span>
                          {p.required && <span className="text-rose-700"> {a("docs-required")}</span>}
                          {p.description && <span className="text-slate-600"> — {p.description}</span>}
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                {body?.properties && (
                  <div>
                    <p className="text-sm font-medium">{a("docs-body")}</p>
                    <ul className="text-sm">
                      {Object.entries(body.properties).map(([name, s]) => (
                        <li key={name}>
                          <code>{name}</code> <span className="text-slate-500">({String(s.type ?? "")})</span>
                          {body.required?.includes(name) && (
                            <span className="text-rose-700"> {a("docs-required")}</span>
                          )}
                          {s.description && <span className="text-slate-600"> — {s.description}</span>}
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                <div>
                  <p className="text-sm font-medium">{a("docs-responses")}</p>
                  <ul className="text-sm">
                    {Object.entries(op.responses).map(([status, r]) => (
                      <li key={status}>
                        <code>{status}</code> <span className="text-slate-600">{r.description}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              </div>
            );
          }),
        )}
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{a("docs-idem-title")}</h2>
        <p>{a("docs-idem-body")}</p>
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{a("docs-quote-title")}</h2>
        <p>{a("docs-quote-body")}</p>
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{a("docs-errors-title")}</h2>
        <p>{a("docs-errors-body")}</p>
        <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-sm text-slate-100">
          {'{"error":{"code":"bad_request","message":"…","fields":{"energy":"…"}}}'}
        </pre>
        <table className="w-full text-sm">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="py-1 pr-3">{a("docs-errors-code")}</th>
              <th className="py-1 pr-3">{a("docs-errors-status")}</th>
              <th className="py-1">{a("docs-errors-meaning")}</th>
            </tr>
          </thead>
          <tbody>
            {apiErrorCodes.map((c) => (
              <tr key={c} className="border-t border-slate-200">
                <td className="py-1 pr-3 font-mono">{c}</td>
                <td className="py-1 pr-3 tabular-nums">{apiErrorDescriptions[c].status}</td>
                <td className="py-1">{apiErrorDescriptions[c].description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{a("docs-callbacks-title")}</h2>
        <div className="space-y-1 text-sm">
          {SIGNATURE_RECIPE.split("\n").map((line) => (
            <p key={line}>{line}</p>
          ))}
        </div>
        <p className="text-sm font-medium">{a("docs-callbacks-verify")}</p>
        <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-sm text-slate-100">
          {VERIFY_SNIPPET}
        </pre>
      </section>
    </article>
  );
}
