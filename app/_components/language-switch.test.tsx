// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Translate } from "@/lib/i18n";
import { LanguageForm } from "./language-switch";

afterEach(cleanup);

const t = ((key: string) =>
  ({ "lang-zh": "中文", "lang-en": "English", "nav-language": "Language" })[key] ?? key) as Translate;

describe("LanguageForm", () => {
  it("marks the current language and posts the chosen one to its action", async () => {
    const action = vi.fn(async (_form: FormData) => {});
    render(<LanguageForm action={action} locale="zh" t={t} />);
    const zh = screen.getByRole("button", { name: "中文" });
    const en = screen.getByRole("button", { name: "English" });
    expect(zh.getAttribute("aria-pressed")).toBe("true");
    expect(en.getAttribute("aria-pressed")).toBe("false");
    expect(zh.hasAttribute("lang")).toBe(false);
    await userEvent.setup().click(en);
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    expect(action.mock.calls[0][0].get("lang")).toBe("en");
  });

  it("with tagLang: each button carries its own language", () => {
    render(<LanguageForm action={async () => {}} locale="en" t={t} tagLang />);
    expect(screen.getByRole("button", { name: "中文" }).getAttribute("lang")).toBe("zh-CN");
    expect(screen.getByRole("button", { name: "English" }).getAttribute("lang")).toBe("en");
  });
});
