// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionState } from "./action-state";
import { ActionForm, Field } from "./action-form";

afterEach(cleanup);

// happy-dom's requestSubmit() without a submitter reports the form itself as the submitter (browsers report
// none), which React's form actions refuse; behave as a browser does.
beforeAll(() => {
  HTMLFormElement.prototype.requestSubmit = function (this: HTMLFormElement, submitter?: HTMLElement | null) {
    if (submitter || this.noValidate || this.checkValidity())
      this.dispatchEvent(
        new SubmitEvent("submit", { bubbles: true, cancelable: true, submitter: submitter ?? null }),
      );
  };
});

describe("ActionForm", () => {
  it("with confirm: sends nothing until the dialog is confirmed, then shows the action's answer", async () => {
    const user = userEvent.setup();
    const action = vi.fn(
      async (_s: ActionState, fd: FormData): Promise<ActionState> => ({
        status: "success",
        message: `disabled ${fd.get("adminId")}`,
      }),
    );
    render(
      <ActionForm
        action={action}
        hidden={{ adminId: 7 }}
        submit="Disable"
        danger
        confirm={{ question: "Disable this admin?", cancel: "Cancel" }}
      />,
    );
    await user.click(screen.getByRole("button", { name: "Disable" }));
    expect(screen.getByRole("alertdialog").textContent).toContain("Disable this admin?");
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(action).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Disable" }));
    // The console behind the open dialog is hidden from assistive technology: its one "Disable" is the dialog's.
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Disable" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("disabled 7"));
    expect(action).toHaveBeenCalledTimes(1);
  });

  it("labels its fields and lists the fields the action refused", async () => {
    const user = userEvent.setup();
    const action = async (): Promise<ActionState> => ({
      status: "failed",
      code: "bad_request",
      message: "Check the form.",
      fields: { priority: "Enter a whole number." },
    });
    render(
      <ActionForm action={action} submit="Save">
        <Field label="Priority" name="priority" defaultValue={0} />
      </ActionForm>,
    );
    const input = screen.getByLabelText("Priority") as HTMLInputElement;
    expect(input.name).toBe("priority");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toContain("priority: Enter a whole number."),
    );
  });
});
