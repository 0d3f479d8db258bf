// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Trx } from "tronweb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { devnetAccount } from "@/devnet/genesis";
import { SignOwnership } from "./sign-ownership";
import { SignPermission } from "./sign-permission";

/**
 * The browser-wallet buttons of the supplier page and the console's Pool page, with a stand-in for
 * TronLink (`window.tronLink`) that signs with a devnet key through tronweb (DEVNET ONLY keys).
 */

const owner = devnetAccount(3);
const other = devnetAccount(4);
const message = `TRON Energy Helper: I supply energy from ${owner.base58} as user 42.`;

const labels = {
  sign: "Sign with TronLink",
  signed: "Signed.",
  field: "Signature",
  noWallet: "No TronLink here: paste the signature.",
  locked: "TronLink is locked.",
  rejected: "You declined.",
  wrongAccount: "TronLink has {selected}, not {address}.",
  failed: "Failed: {reason}",
};

type W = Record<string, unknown>;
const win = window as unknown as W;

/** A TronLink with `selected` chosen; `answer` is what tron_requestAccounts resolves to. */
function fakeTronLink(
  selected: { base58: string; privateKey: string } | null,
  opts: { answer?: unknown; declineSign?: boolean } = {},
) {
  const calls: string[] = [];
  const tronWeb = {
    defaultAddress: { base58: selected?.base58 ?? false },
    trx: {
      signMessageV2: vi.fn(async (m: string) => {
        calls.push("signMessageV2");
        if (opts.declineSign) throw "Confirmation declined by user";
        return Trx.signMessageV2(m, selected!.privateKey);
      }),
      sign: vi.fn(async (tx: unknown) => {
        calls.push("sign");
        if (opts.declineSign) throw new Error("Confirmation declined by user");
        return { ...(tx as object), signature: ["00"] };
      }),
      sendRawTransaction: vi.fn(async () => {
        calls.push("send");
        return { result: true, txid: "ab".repeat(32) };
      }),
    },
  };
  win.tronLink = {
    request: vi.fn(async ({ method }: { method: string }) => {
      calls.push(method);
      return opts.answer ?? { code: 200, message: "ok" };
    }),
    tronWeb,
  };
  return { calls, tronWeb };
}

afterEach(() => {
  cleanup();
  delete win.tronLink;
  delete win.tronWeb;
});

const field = () => screen.getByLabelText("Signature") as HTMLInputElement;
const note = () => screen.findByTestId("sign-message-note");

describe("Sign with TronLink (the supplier's proof of holding the wallet's key)", () => {
  it("asks for the account, signs the message with the wallet being registered and fills the signature in", async () => {
    const { calls } = fakeTronLink(owner);
    render(<SignOwnership address={owner.base58} message={message} labels={labels} />);
    await userEvent.setup().click(screen.getByRole("button", { name: labels.sign }));
    expect((await note()).textContent).toBe(labels.signed);
    expect(calls).toEqual(["tron_requestAccounts", "signMessageV2"]);
    // what the server verifies (registerSupplierWallet): signed by this wallet, for this message
    expect(Trx.verifyMessageV2(message, field().value)).toBe(owner.base58);
  });

  it("another account selected in TronLink: refused before signing, with both addresses", async () => {
    const { calls } = fakeTronLink(other);
    render(<SignOwnership address={owner.base58} message={message} labels={labels} />);
    await userEvent.setup().click(screen.getByRole("button", { name: labels.sign }));
    expect((await note()).textContent).toBe(`TronLink has ${other.base58}, not ${owner.base58}.`);
    expect(calls).toEqual(["tron_requestAccounts"]);
    expect(field().value).toBe("");
  });

  it("the user declines the connection or the signature: told so, nothing filled in", async () => {
    fakeTronLink(owner, { answer: { code: 4001, message: "User rejected the request." } });
    render(<SignOwnership address={owner.base58} message={message} labels={labels} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: labels.sign }));
    expect((await note()).textContent).toBe(labels.rejected);
    cleanup();

    const { calls } = fakeTronLink(owner, { declineSign: true });
    render(<SignOwnership address={owner.base58} message={message} labels={labels} />);
    await user.click(screen.getByRole("button", { name: labels.sign }));
    expect((await note()).textContent).toBe(labels.rejected);
    expect(calls).toEqual(["tron_requestAccounts", "signMessageV2"]);
    expect(field().value).toBe("");
  });

  it("no TronLink: says to paste a signature, and a pasted one is kept for the form", async () => {
    render(<SignOwnership address={owner.base58} message={message} labels={labels} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: labels.sign }));
    expect((await note()).textContent).toBe(labels.noWallet);
    await user.type(field(), "0xabc");
    expect(field().value).toBe("0xabc");
  });

  it("a locked TronLink (no account selected): asks to unlock it", async () => {
    fakeTronLink(null);
    render(<SignOwnership address={owner.base58} message={message} labels={labels} />);
    await userEvent.setup().click(screen.getByRole("button", { name: labels.sign }));
    expect((await note()).textContent).toBe(labels.locked);
  });
});

describe("Sign and send with TronLink (the permission setup)", () => {
  const tx = { txID: "cd".repeat(32), raw_data: { contract: [] } };
  const permLabels = { ...labels, sign: "Sign and send", sent: "Sent: {txid}" };

  it("signs the node-built transaction in the owner's wallet and sends it", async () => {
    const { calls, tronWeb } = fakeTronLink(owner);
    render(<SignPermission transaction={tx} owner={owner.base58} labels={permLabels} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign and send" }));
    await waitFor(() => expect(screen.getByTestId("sign-note").textContent).toBe(`Sent: ${"ab".repeat(32)}`));
    expect(calls).toEqual(["tron_requestAccounts", "sign", "send"]);
    expect(tronWeb.trx.sign.mock.calls[0][0]).toEqual(tx);
  });

  it("another account selected, a declined signature, or no wallet: nothing is sent", async () => {
    const user = userEvent.setup();
    let f = fakeTronLink(other);
    render(<SignPermission transaction={tx} owner={owner.base58} labels={permLabels} />);
    await user.click(screen.getByRole("button", { name: "Sign and send" }));
    await waitFor(() =>
      expect(screen.getByTestId("sign-note").textContent).toBe(
        `TronLink has ${other.base58}, not ${owner.base58}.`,
      ),
    );
    expect(f.calls).toEqual(["tron_requestAccounts"]);
    cleanup();

    f = fakeTronLink(owner, { declineSign: true });
    render(<SignPermission transaction={tx} owner={owner.base58} labels={permLabels} />);
    await user.click(screen.getByRole("button", { name: "Sign and send" }));
    await waitFor(() => expect(screen.getByTestId("sign-note").textContent).toBe(labels.rejected));
    expect(f.calls).not.toContain("send");
    cleanup();

    delete win.tronLink;
    render(<SignPermission transaction={tx} owner={owner.base58} labels={permLabels} />);
    await user.click(screen.getByRole("button", { name: "Sign and send" }));
    await waitFor(() => expect(screen.getByTestId("sign-note").textContent).toBe(labels.noWallet));
  });

  it("the chain refusing the transaction is shown with its reason", async () => {
    const { tronWeb } = fakeTronLink(owner);
    tronWeb.trx.sendRawTransaction.mockResolvedValueOnce({
      result: false,
      code: "CONTRACT_VALIDATE_ERROR",
    } as never);
    render(<SignPermission transaction={tx} owner={owner.base58} labels={permLabels} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign and send" }));
    await waitFor(() =>
      expect(screen.getByTestId("sign-note").textContent).toBe("Failed: CONTRACT_VALIDATE_ERROR"),
    );
  });
});
