// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Button } from "./button";
import { cn } from "./cn";
import { ConfirmDialog } from "./confirm-dialog";
import { Field } from "./field";
import { Input } from "./input";

afterEach(cleanup);

describe("cn", () => {
  it("lets a later Tailwind class win over an earlier one of the same kind", () => {
    expect(cn("min-h-11 px-4", false, "px-3")).toBe("min-h-11 px-3");
  });
});

describe("Field", () => {
  it("labels its control and ties help and error to it", () => {
    render(
      <Field id="amount" label="Amount" help="Whole TRX" error="Too small">
        {(p) => <Input {...p} />}
      </Field>,
    );
    const input = screen.getByLabelText("Amount");
    expect(input.id).toBe("amount");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toBe("amount-help amount-err");
    expect(screen.getByRole("alert").textContent).toBe("Too small");
    expect(document.getElementById("amount-help")?.textContent).toBe("Whole TRX");
  });

  it("is valid and described by nothing when there is neither help nor error", () => {
    render(<Field label="Name">{(p) => <Input {...p} />}</Field>);
    const input = screen.getByLabelText("Name");
    expect(input.id).not.toBe("");
    expect(input.getAttribute("aria-invalid")).toBeNull();
    expect(input.getAttribute("aria-describedby")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});

describe("ConfirmDialog", () => {
  const dialog = (onConfirm: () => void, nativeConfirm?: (q: string, done: (ok: boolean) => void) => void) =>
    render(
      <ConfirmDialog
        trigger={<Button>Remove</Button>}
        title="Remove this wallet?"
        confirmLabel="Yes, remove"
        cancelLabel="Cancel"
        danger
        onConfirm={onConfirm}
        nativeConfirm={nativeConfirm}
      />,
    );

  it("asks first: cancel does nothing, confirm runs the action and closes", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    dialog(onConfirm);
    await user.click(screen.getByRole("button", { name: "Remove" }));
    expect(screen.getByRole("alertdialog").textContent).toContain("Remove this wallet?");
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(onConfirm).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Remove" }));
    await user.click(screen.getByRole("button", { name: "Yes, remove" }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
  });

  it("uses the platform's own confirmation when there is one", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    const answers = [false, true];
    const native = vi.fn((_q: string, done: (ok: boolean) => void) => done(answers.shift() ?? false));
    dialog(onConfirm, native);
    await user.click(screen.getByRole("button", { name: "Remove" }));
    expect(native).toHaveBeenCalledWith("Remove this wallet?", expect.any(Function));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Remove" }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
