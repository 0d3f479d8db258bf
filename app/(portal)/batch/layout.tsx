import { PageMessages } from "../_lib/page-messages";

/** Every page under /batch gets the batch scope's client messages (see CLIENT_MESSAGE_SCOPES). */
export default function BatchLayout({ children }: { children: React.ReactNode }) {
  return <PageMessages scope="batch">{children}</PageMessages>;
}
