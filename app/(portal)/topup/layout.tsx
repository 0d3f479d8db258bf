import { PageMessages } from "../_lib/page-messages";

/** Every page under /topup gets the topup scope's client messages (see CLIENT_MESSAGE_SCOPES). */
export default function TopupLayout({ children }: { children: React.ReactNode }) {
  return <PageMessages scope="topup">{children}</PageMessages>;
}
