import { PageMessages } from "../_lib/page-messages";

/** Every page under /orders gets the orders scope's client messages (see CLIENT_MESSAGE_SCOPES). */
export default function OrdersLayout({ children }: { children: React.ReactNode }) {
  return <PageMessages scope="orders">{children}</PageMessages>;
}
