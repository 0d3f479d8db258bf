// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { OfferField } from "./offer-field";

afterEach(cleanup);

const ticks = () =>
  screen
    .getAllByRole("checkbox")
    .map((c) => [(c as HTMLInputElement).value, (c as HTMLInputElement).checked] as const);

describe("OfferField: a tick per offer as typed", () => {
  it("ticks the saved offers that carry it, shows saved margins, and offers a tick for a newly typed offer", async () => {
    const user = userEvent.setup();
    const { container } = render(
      <form>
        <OfferField
          label="Offers"
          name="transferOffers"
          defaultValue="4 = 65000 / 1h; 0.5 = 131000 / 1d"
          tickName="transferBelowFloor"
          tickLabel="sell below the floor"
          ticked={["0.5"]}
          margins={{
            "4 = 65000 / 1h": { text: "floor 0.7 TRX, margin 3.3 TRX", below: false },
            "0.5 = 131000 / 1d": { text: "floor 0.9 TRX: 0.4 TRX below it", below: true },
          }}
        />
      </form>,
    );
    expect(ticks()).toEqual([
      ["4", false],
      ["0.5", true],
    ]);
    expect(container.textContent).toContain("floor 0.7 TRX, margin 3.3 TRX");
    expect(container.textContent).toContain("0.4 TRX below it");

    const input = screen.getByLabelText("Offers");
    await user.clear(input);
    await user.type(input, "4 = 65000 / 1h; 0.50 TRX = 131000 / 1d; 2 = 131000 / 1h");
    expect(ticks()).toEqual([
      ["4", false],
      ["0.50", true],
      ["2", false],
    ]);
    // a saved offer's margin shows only while it is written as saved
    expect(container.textContent).toContain("margin 3.3 TRX");
    expect(container.textContent).not.toContain("0.4 TRX below it");
    await user.click(screen.getAllByRole("checkbox")[2]);
    const fd = new FormData(container.querySelector("form")!);
    expect(fd.getAll("transferBelowFloor")).toEqual(["0.50", "2"]);
    expect(fd.get("transferOffers")).toBe("4 = 65000 / 1h; 0.50 TRX = 131000 / 1d; 2 = 131000 / 1h");
  });
});
