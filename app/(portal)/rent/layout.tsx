import { PageMessages } from "../_lib/page-messages";

/** Every page under /rent gets the rent scope's client messages (see CLIENT_MESSAGE_SCOPES). */
export default function RentLayout({ children }: { children: React.ReactNode }) {
  return <PageMessages scope="rent">{children}</PageMessages>;
}
