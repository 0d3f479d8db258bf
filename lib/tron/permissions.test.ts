import { describe, expect, it } from "vitest";
import { devnetAccount } from "@/devnet/genesis";
import {
  type AccountPermissions,
  checkGrant,
  decodeOperations,
  encodeOperations,
  operatorPermission,
  permissionsOf,
} from "./permissions";

const owner = devnetAccount(3).base58;
const operator = devnetAccount(9).base58;
const other = devnetAccount(8).base58;

const perms = (actives: AccountPermissions["actives"], ownerKeys = [{ address: owner, weight: 1 }]) => ({
  owner: { type: "Owner" as const, id: 0, name: "owner", threshold: 1, operations: "", keys: ownerKeys },
  actives,
});
const active = (id: number, ops: number[], keys = [{ address: operator, weight: 1 }], threshold = 1) => ({
  type: "Active" as const,
  id,
  name: `p${id}`,
  threshold,
  operations: encodeOperations(ops),
  keys,
});

describe("operations bitmask (WalletUtil.checkPermissionOperations: bit n of byte n/8)", () => {
  it("encodes and decodes", () => {
    expect(encodeOperations([57, 58])).toBe(`${"00".repeat(7)}06${"00".repeat(24)}`);
    expect(decodeOperations(encodeOperations([0, 1, 46, 57, 58]))).toEqual([0, 1, 46, 57, 58]);
    // mainnet's default Active operations
    expect(decodeOperations(`7fff1fc0033efb0f${"0".repeat(48)}`)).toContain(1);
    expect(decodeOperations("zz")).toBeNull();
    expect(() => encodeOperations([256])).toThrow(RangeError);
  });
});

describe("checkGrant", () => {
  it("accepts exactly 57 and 58 with the operator's weight meeting the threshold; picks that permission's id", () => {
    const g = checkGrant(
      perms([active(2, [0, 1, 2], [{ address: owner, weight: 1 }]), active(3, [57, 58])]),
      operator,
    );
    expect(g).toMatchObject({ ok: true, permissionId: 3 });
  });

  it("refuses any wider grant naming the operator, even beside a correct one", () => {
    const g = checkGrant(perms([active(2, [57, 58]), active(3, [1, 57, 58])]), operator);
    expect(g).toMatchObject({ ok: false, reason: "too_wide" });
    expect(!g.ok && g.message).toContain("TransferContract (1)");
  });

  it("refuses the operator in the owner permission, a missing grant, a short weight, a missing operation", () => {
    expect(
      checkGrant(perms([active(2, [57, 58])], [{ address: operator, weight: 1 }]), operator),
    ).toMatchObject({ ok: false, reason: "owner_key" });
    expect(checkGrant(perms([active(2, [57, 58], [{ address: other, weight: 1 }])]), operator)).toMatchObject(
      {
        ok: false,
        reason: "not_named",
      },
    );
    expect(
      checkGrant(
        perms([
          active(
            2,
            [57, 58],
            [
              { address: operator, weight: 1 },
              { address: other, weight: 1 },
            ],
            2,
          ),
        ]),
        operator,
      ),
    ).toMatchObject({ ok: false, reason: "weight" });
    expect(checkGrant(perms([active(2, [58])]), operator)).toMatchObject({
      ok: false,
      reason: "missing_operations",
    });
  });

  it("reads a getaccount reply (hex keys) and an account never updated (java-tron's default owner)", () => {
    const p = permissionsOf(owner, {
      active_permission: [
        {
          type: "Active",
          id: 3,
          permission_name: "energy-helper",
          threshold: 1,
          operations: operatorPermission(operator).operations,
          keys: [{ address: devnetAccount(9).hex, weight: 1 }],
        },
      ],
    });
    expect(p.owner.keys).toEqual([{ address: owner, weight: 1 }]);
    expect(checkGrant(p, operator)).toMatchObject({ ok: true, permissionId: 3 });
  });
});
